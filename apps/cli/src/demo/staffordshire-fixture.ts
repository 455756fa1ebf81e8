/**
 * The seed agreement (docs/architecture.md §17): the one copy of the Staffordshire SSCB ISA 2023 fixture is
 * the JSON beside this file, so `accord demo` runs from the built CLI alone (the build copies it into dist)
 * and the specs and e2e suites read the same file. A public document; the organisation ids are ours.
 */
import fixture from './staffordshire-sscb-isa-2023.json';

/** Where the fixture lives in the repository, for the suites that hand the file itself to the CLI. */
export const FIXTURE_PATH = 'apps/cli/src/demo/staffordshire-sscb-isa-2023.json';

export const DEMO_ORGANISATIONS = fixture.organisations;

// The body of POST /agreements: the fixture's terms without its provenance (notes, versions, signatures).
const { retentionNote, firstReviewAfterMonths, versions, signatures, ...terms } = fixture.agreement;
void [retentionNote, firstReviewAfterMonths, versions];

export const DEMO_AGREEMENT = terms;

/** Signatories' positions from the fixture; the other parties sign as their Caldicott Guardian. */
export const DEMO_SIGNATORY_POSITIONS: Record<string, string> = Object.fromEntries(
  signatures.map((s) => [s.org, s.position]),
);
