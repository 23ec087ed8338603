import type { Region } from '../../subgraphs/kit/index.js';
import { DEMO } from './ids.js';

/** Every region that owns a demo record, in the order of the Region enum's codes as ids name them. */
export const DEMO_REGIONS: Region[] = [...new Set(
  Object.values(DEMO).flatMap((group) => Object.values(group as Record<string, string>)).map((id) => id.slice(0, 2) as Region),
)].sort();
