import {
  documentStreamId,
  idOfStream,
  isStreamOf,
  parseStreamId,
  STREAM_FAMILIES,
  StreamFamily,
  streamIdOf,
  webhookDeliveryStreamId,
} from './streams';

describe('the stream registry', () => {
  it('builds and takes apart a stream id of every family', () => {
    for (const family of Object.keys(STREAM_FAMILIES) as StreamFamily[]) {
      const id = streamIdOf(family, 'a-b-1');
      expect(parseStreamId(id)).toEqual({ family, id: 'a-b-1' });
      expect(isStreamOf(family, id)).toBe(true);
    }
  });

  it('keeps the names the log already holds (stream ids are a storage contract)', () => {
    expect(documentStreamId('d1')).toBe('document-d1');
    expect(webhookDeliveryStreamId('w1')).toBe('webhook-delivery-w1');
    expect(Object.values(STREAM_FAMILIES)).toEqual([
      'organisation-',
      'user-',
      'agreement-',
      'document-',
      'breach-',
      'subject-request-',
      'incident-',
      'webhook-delivery-',
      'upload-quota-',
      'email-',
      'session-',
      'claim-email-',
    ]);
  });

  it('knows no family for a stream that is not ours, and gives such an id back whole', () => {
    expect(parseStreamId('orders-1')).toBeUndefined();
    expect(parseStreamId('$stats')).toBeUndefined();
    expect(idOfStream('document', 'orders-1')).toBe('orders-1');
  });
});
