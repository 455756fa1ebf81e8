import type { ErasureOverride } from './subject-request.events';

/**
 * The lawful bases of our vocabulary that engage an exemption from the right to erasure, UK GDPR Art 17(3):
 * (b) compliance with a legal obligation, or a task in the public interest / official authority; (c) public
 * health under Art 9(2)(h) and (i); (d) archiving, research and statistics; (e) legal claims. Safeguarding
 * (DPA 2018 Sch 1 para 18) and statutory purposes (para 6) rest on statutory duties (Children Act 1989 s47,
 * Care Act 2014 s42), so they are (b). Law-enforcement processing (DPA 2018 Part 3) is outside UK GDPR
 * Art 17: its erasure right (DPA 2018 s47) turns on whether the processing infringes the principles, a
 * judgement for the competent authority, not a self-service erasure. Consent, contract, vital interests
 * and legitimate interests engage no exemption (vital interests is not among Art 17(3)'s points).
 */
export const ERASURE_EXEMPTIONS: Readonly<Record<string, string>> = {
  'uk-gdpr-art6-1-c': 'art17-3-b',
  'uk-gdpr-art6-1-e': 'art17-3-b',
  'dpa2018-sch1-pt2-para6': 'art17-3-b',
  'dpa2018-sch1-pt2-para18': 'art17-3-b',
  'uk-gdpr-art9-2-h': 'art17-3-c',
  'uk-gdpr-art9-2-i': 'art17-3-c',
  'uk-gdpr-art9-2-j': 'art17-3-d',
  'uk-gdpr-art9-2-f': 'art17-3-e',
  'dpa2018-sch1-pt3-para33': 'art17-3-e',
  'dpa2018-part3': 'dpa2018-s47',
};

const EXEMPTION_TEXT: Readonly<Record<string, string>> = {
  'art17-3-b': 'a legal obligation or a task in the public interest (UK GDPR Art 17(3)(b))',
  'art17-3-c': 'public health (UK GDPR Art 17(3)(c))',
  'art17-3-d': 'archiving, research or statistics (UK GDPR Art 17(3)(d))',
  'art17-3-e': 'legal claims (UK GDPR Art 17(3)(e))',
  'dpa2018-s47': 'law-enforcement processing, where erasure follows DPA 2018 s47',
};

/** What the erasure rule needs to know of one of the subject's documents (folded from the event store). */
export interface ErasureCandidate {
  documentId: string;
  agreementId: string;
  senderOrg: string;
  /** The lawful bases of the agreement version the document was shared under. */
  lawfulBases: readonly string[];
  legalHold: boolean;
  erased: boolean;
}

export interface ErasurePlan {
  erase: string[];
  kept: ErasureOverride[];
}

/**
 * Per document, not all-or-nothing: each document is governed by its own agreement, and an exemption that
 * keeps one is no reason to keep another shared under terms that engage none (Art 17(1) applies to each).
 * Only documents the requester's organisation shared are in scope: the platform holds one ciphertext per
 * document, so erasing what another organisation sent would erase that controller's record; a recipient
 * asks the sender. A legal hold keeps a document for legal claims (Art 17(3)(e)).
 */
export function planErasure(orgId: string, candidates: readonly ErasureCandidate[]): ErasurePlan {
  const plan: ErasurePlan = { erase: [], kept: [] };
  for (const c of candidates) {
    if (c.senderOrg !== orgId || c.erased) continue;
    const overrides: ErasureOverride[] = c.lawfulBases
      .filter((basis) => ERASURE_EXEMPTIONS[basis] !== undefined)
      .map((basis) => ({
        documentId: c.documentId,
        agreementId: c.agreementId,
        exemption: ERASURE_EXEMPTIONS[basis]!,
        lawfulBasis: basis,
      }));
    if (c.legalHold)
      overrides.push({
        documentId: c.documentId,
        agreementId: c.agreementId,
        exemption: 'art17-3-e',
        legalHold: true,
      });
    if (overrides.length === 0) plan.erase.push(c.documentId);
    else plan.kept.push(...overrides);
  }
  return plan;
}

/** The refusal's reason in words, from the exemptions engaged (no personal data: codes and law only). */
export function refusalReason(kept: readonly ErasureOverride[]): string {
  const exemptions = [...new Set(kept.map((k) => k.exemption))];
  const documents = new Set(kept.map((k) => k.documentId)).size;
  return `${documents} document(s) kept: erasure is overridden by ${exemptions
    .map((e) => EXEMPTION_TEXT[e] ?? e)
    .join('; ')}`;
}
