export * from './errors';
export * from './object-key';
export * from './object-store.port';
export { DEFAULT_CONTENT_TYPE } from './content-type';
export * from './adapters/filesystem/filesystem.object-store';
export * from './adapters/minio/minio.object-store';
export * from './adapters/minio/minio.config';
