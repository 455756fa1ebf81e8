import { CliError } from '../cli-error';
import { recipientTeams, shareMetadata } from './documents-share';

const base = { agreement: 'a-1', to: ['police'], purpose: 'p', category: ['name'], encryptToSelf: true };

describe('share metadata from the command line', () => {
  it('--team org:teamId, repeated, groups the teams by organisation without duplicates', () => {
    expect(recipientTeams(['police:t1', 'police:t2', 'nhs:t3', 'police:t1'])).toEqual({
      police: ['t1', 't2'],
      nhs: ['t3'],
    });
    expect(() => recipientTeams(['police'])).toThrow(CliError);
    expect(() => recipientTeams([':t1'])).toThrow(CliError);
  });

  it('carries the nature as given and refuses anything but fact, opinion or mixed', () => {
    expect(shareMetadata('note.pdf', { ...base, nature: 'opinion', team: ['police:t1'] })).toMatchObject({
      nature: 'opinion',
      recipientTeams: { police: ['t1'] },
    });
    expect(() => shareMetadata('note.pdf', { ...base, nature: 'guess' })).toThrow('--nature');
  });
});
