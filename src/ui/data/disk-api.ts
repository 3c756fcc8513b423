import type { DiskUse } from '../../daemon/http/contract.js';
import { httpJson } from './api-client.js';

export type { DiskUse };

/** What the box keeps on disk, by part and database table, and the days left (staff only: the admin cookie). */
export const fetchDiskUse = (): Promise<DiskUse> => httpJson<DiskUse>('GET', '/api/admin/disk');
