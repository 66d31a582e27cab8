/**
 * The training pillar's pure core: skill mapping, rule evaluation, the monthly cap, measured effect.
 */
export { applyAssignmentCap } from './cap.js';
export type { AssignmentKey, CapResult } from './cap.js';
export { rollUpModuleEffects, trainingEffect } from './effectiveness.js';
export type { EffectInput } from './effectiveness.js';
export { evaluateRule, evaluateRules, parseTrainingRules } from './rules.js';
export { DEFAULT_SKILL_MAPPING, skillsForStep } from './skills.js';
export type { SkillMapping } from './skills.js';
export { weekJudgeable, weekMedian, weekValue } from './weekly-value.js';
