/**
 * Which playbook a pipeline runs on: the one ops stored (settings key `playbook:<pipelineId>`), else
 * the default generated from the pipeline. Shared by the playbook settings routes and the process
 * report (deal guidance reads the same key, see deal-guidance.ts).
 */
import { playbookSchema } from '@pillars/contracts';
import type { Playbook } from '@pillars/contracts';
import type { Pipeline } from '../core/crm.js';
import { defaultPlaybook } from '../core/process/index.js';
import type { SettingsStore } from '../store/ports.js';
import { playbookKey } from './deal-guidance/deal-guidance.js';

export type PlaybookSource = 'stored' | 'default';

/** The pipeline's playbook and where it came from; a stored one naming another pipeline is ignored. */
export async function loadPlaybook(
  settings: Pick<SettingsStore, 'get'>,
  portalId: number,
  pipeline: Pipeline,
): Promise<{ source: PlaybookSource; playbook: Playbook }> {
  const stored = await settings.get(portalId, playbookKey(pipeline.id), playbookSchema);
  if (stored !== null && stored.pipelineId === pipeline.id) return { source: 'stored', playbook: stored };
  return { source: 'default', playbook: defaultPlaybook(pipeline) };
}
