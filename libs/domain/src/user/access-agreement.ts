/**
 * The agreement every user accepts before any document or audit call. Its terms restate the seed ISA's
 * conditions for third-party access. Changing the text means a new version: everyone accepts again.
 */
export const ACCESS_AGREEMENT_VERSION = 1;

export const ACCESS_AGREEMENT = {
  version: ACCESS_AGREEMENT_VERSION,
  title: 'Accord access agreement',
  terms: [
    'I will keep confidential all information I see on Accord and use it only for the purpose for which it was shared under the information sharing agreement that governs it.',
    'I will open a document only when I need it for my work on the case it concerns (need to know), never out of curiosity and never on behalf of anyone else.',
    "I will not copy, print, forward, photograph or save any document or its content anywhere outside my organisation's case management system.",
    'I will not disclose information to a third party unless the governing agreement allows it or the law requires it, and I will consult my IG lead first.',
    'I will keep my API token secret, never share my access with anyone, and tell my IG lead at once if I think it has been exposed.',
    'I will report to my IG lead at once any actual or suspected loss, misuse or unauthorised access, including near misses.',
    'I understand that every access is recorded and audited, and that obtaining or disclosing personal data without authority may be an offence under section 170 of the Data Protection Act 2018.',
  ],
} as const;
