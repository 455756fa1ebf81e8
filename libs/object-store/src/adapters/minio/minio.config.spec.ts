import { minioOptionsFromS3Settings } from './minio.config';

const base = { bucket: 'accord', region: 'eu-west-2', accessKey: 'ak', secretKey: 'sk' };

describe('minioOptionsFromS3Settings', () => {
  it('takes host, port and TLS from the S3_ENDPOINT URL, the port defaulting to the scheme', () => {
    expect(minioOptionsFromS3Settings({ ...base, endpoint: 'http://minio:9000' })).toEqual({
      ...base,
      endPoint: 'minio',
      port: 9000,
      useSSL: false,
    });
    expect(minioOptionsFromS3Settings({ ...base, endpoint: 'https://s3.example.gov.uk/' })).toMatchObject({
      endPoint: 's3.example.gov.uk',
      port: 443,
      useSSL: true,
    });
    expect(minioOptionsFromS3Settings({ ...base, endpoint: 'http://[::1]:9000' })).toMatchObject({
      endPoint: '::1',
    });
  });

  it('refuses an endpoint whose path, query or credentials the client would silently ignore', () => {
    for (const endpoint of [
      'minio:9000',
      'ftp://minio',
      'http://minio:9000/bucket',
      'http://u:p@minio',
      'http://m?x=1',
    ])
      expect(() => minioOptionsFromS3Settings({ ...base, endpoint })).toThrow(TypeError);
  });
});
