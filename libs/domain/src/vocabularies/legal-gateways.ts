/**
 * Legal gateways: the statutory powers or duties (or common-law basis) under which partners share, as ISAs
 * cite them. Stable codes; an agreement may add gateways outside the list as free text
 * (`otherLegalGateways`, docs/architecture.md §28).
 */
export const LEGAL_GATEWAYS = {
  'children-act-1989-s17': 'Children Act 1989 s17 (children in need)',
  'children-act-1989-s47': 'Children Act 1989 s47 (enquiries where a child is at risk of significant harm)',
  'children-act-2004-s10': 'Children Act 2004 s10 (co-operation to improve well-being)',
  'children-act-2004-s11': 'Children Act 2004 s11 (duty to safeguard and promote welfare)',
  'crime-and-disorder-act-1998-s17': 'Crime and Disorder Act 1998 s17 (duty to consider crime and disorder)',
  'crime-and-disorder-act-1998-s115': 'Crime and Disorder Act 1998 s115 (disclosure of information)',
  'care-act-2014-s42': 'Care Act 2014 s42 (safeguarding enquiries)',
  'care-act-2014-s45': 'Care Act 2014 s45 (supply of information to Safeguarding Adults Boards)',
  'health-and-social-care-act-2012-s251b':
    'Health and Social Care Act 2012 s251B (duty to share information for direct care)',
  'education-act-2002-s175': 'Education Act 2002 s175 (safeguarding by education authorities)',
  'dpa-2018-s8': 'Data Protection Act 2018 s8 (public task)',
  'common-law-duty-of-confidence-public-interest': 'Common law duty of confidence: public interest',
  'local-government-act-2000-s2': 'Local Government Act 2000 s2 (well-being power)',
  'localism-act-2011-s1': 'Localism Act 2011 s1 (general power of competence)',
  'mental-capacity-act-2005': 'Mental Capacity Act 2005',
  'domestic-abuse-act-2021': 'Domestic Abuse Act 2021',
  'digital-economy-act-2017-pt5': 'Digital Economy Act 2017 Part 5 (public service delivery)',
} as const;

export type LegalGateway = keyof typeof LEGAL_GATEWAYS;

export function isLegalGateway(value: unknown): value is LegalGateway {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(LEGAL_GATEWAYS, value);
}
