/**
 * Reads the coaching and training settings of a portal (coaches per team, targets, the catalogue,
 * the rules), each validated by its contract schema, falling back to injected defaults when ops has
 * not saved one. Every function of the two pillars reads settings through here.
 */
import {
  catalogueSettingSchema,
  coachesSettingSchema,
  rulesSettingSchema,
  SETTINGS_KEYS,
  targetsSettingSchema,
} from '@pillars/contracts';
import type {
  ActivityTarget,
  CatalogueSetting,
  CoachesSetting,
  RulesSetting,
  TargetsSetting,
} from '@pillars/contracts';
import type { SettingsStore } from '../../store/ports.js';
import { DEFAULT_RULES, EMPTY_CATALOGUE, NO_TARGETS } from '../training/default-catalogue.js';

/** Values used when a portal has not saved its own. */
export interface CoachingDefaults {
  catalogue: CatalogueSetting;
  targets: TargetsSetting;
  rules: RulesSetting;
}

/** Defaults for a real portal: no modules, no targets, the default rules. */
export const PORTAL_DEFAULTS: CoachingDefaults = {
  catalogue: EMPTY_CATALOGUE,
  targets: NO_TARGETS,
  rules: DEFAULT_RULES,
};

/** The coaching and training settings of one portal. */
export interface CoachingSettings {
  coaches(portalId: number): Promise<CoachesSetting>;
  targets(portalId: number): Promise<TargetsSetting>;
  catalogue(portalId: number): Promise<CatalogueSetting>;
  rules(portalId: number): Promise<RulesSetting>;
}

/** Build the reader over the settings store. */
export function createCoachingSettings(
  settings: Pick<SettingsStore, 'get'>,
  defaults: CoachingDefaults = PORTAL_DEFAULTS,
): CoachingSettings {
  return {
    async coaches(portalId) {
      return (await settings.get(portalId, SETTINGS_KEYS.coaches, coachesSettingSchema)) ?? { teams: {} };
    },
    async targets(portalId) {
      return (await settings.get(portalId, SETTINGS_KEYS.targets, targetsSettingSchema)) ?? defaults.targets;
    },
    async catalogue(portalId) {
      return (
        (await settings.get(portalId, SETTINGS_KEYS.catalogue, catalogueSettingSchema)) ?? defaults.catalogue
      );
    },
    async rules(portalId) {
      return (await settings.get(portalId, SETTINGS_KEYS.rules, rulesSettingSchema)) ?? defaults.rules;
    },
  };
}

/** The weekly targets of a rep: their primary team's own targets, else the portal default. */
export function targetsForTeams(targets: TargetsSetting, teamIds: readonly string[]): ActivityTarget[] {
  for (const id of teamIds) {
    const own = targets.teams[id];
    if (own !== undefined) return own;
  }
  return targets.default;
}
