import { closeSync, fsyncSync, openSync } from 'node:fs';

/**
 * fsync of a file or a directory, synchronously: a new file's name, or a rename, is durable once its
 * directory is. For the SQLite files' one-off syncs (a store's WAL at open, a rebuilt read.db swapped in),
 * which run outside any request.
 */
export function syncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
