// Reading a data profile for people: friendly type names, warning titles, and guesses for the
// training set-up (which column is the target, which is the id). Pure, for tests.
import type { ColumnProfile, ColumnType, Profile } from './types';

export const TYPE_LABELS: Record<ColumnType, string> = {
  numeric: 'Number',
  boolean: 'Yes / no',
  categorical: 'Category',
  identifier: 'ID',
  constant: 'Constant',
};

export const WARNING_TITLES: Record<string, string> = {
  identifier: 'Looks like an ID',
  constant: 'Always the same value',
  'near-constant': 'Almost always the same value',
  'high-cardinality': 'Too many different values',
  collinear: 'Says the same as another column',
  leakage: 'Gives away the answer',
};

export function warningTitle(kind: string): string {
  return WARNING_TITLES[kind] ?? kind.replace(/[-_]/g, ' ');
}

const TARGET_NAMES =
  /^(churn|churned|exited|attrition|attrition_flag|left|cancelled|canceled|is_churn|target|label)$/i;
const TARGET_HINT = /churn|exit|attrition|cancel|left/i;

// The likely target: a two-valued column named like churn, else null.
export function guessTarget(profile: Profile): string | null {
  const twoValued = profile.column_profiles.filter(
    (c) => c.distinct === 2 && c.type !== 'identifier',
  );
  const exact = twoValued.find((c) => TARGET_NAMES.test(c.name));
  if (exact) return exact.name;
  const hinted = twoValued.find((c) => TARGET_HINT.test(c.name));
  return hinted ? hinted.name : null;
}

const ID_NAME = /(^|[^a-z])id$|^id[^a-z]|customerid|^(key|uuid)$/i;

// Columns that identify a customer: typed as identifiers, then those named like an id with
// (almost) one value per row (duplicated rows can repeat an id).
export function identifierColumns(profile: Profile): string[] {
  const typed = profile.column_profiles.filter((c) => c.type === 'identifier').map((c) => c.name);
  const named = profile.column_profiles
    .filter(
      (c) => c.type !== 'identifier' && ID_NAME.test(c.name) && c.distinct >= 0.9 * profile.rows,
    )
    .map((c) => c.name);
  return [...typed, ...named];
}

// The values a target column can take, most frequent first (for the "means churned" choice).
export function targetLevels(column: ColumnProfile | undefined): string[] {
  if (!column) return [];
  return column.top.map((t) => t.value);
}

const POSITIVE = /^(yes|y|true|1|churned|churn|left|exited|attrited customer|attrited)$/i;
export function guessPositive(levels: string[]): string {
  return levels.find((l) => POSITIVE.test(l.trim())) ?? levels[levels.length - 1] ?? '';
}

// Predictive power of a single column, in words, from its univariate ROC-AUC.
export function powerLabel(
  auc: number | null | undefined,
): { label: string; strength: number } | null {
  if (auc === null || auc === undefined || !Number.isFinite(auc)) return null;
  const strength = Math.abs(auc - 0.5) * 2; // 0 = none, 1 = perfect either way
  if (strength >= 0.94) return { label: 'Suspiciously strong', strength };
  if (strength >= 0.4) return { label: 'Strong', strength };
  if (strength >= 0.2) return { label: 'Moderate', strength };
  if (strength >= 0.08) return { label: 'Weak', strength };
  return { label: 'Little', strength };
}

export function totalMissing(profile: Profile): number {
  return profile.column_profiles.reduce((sum, c) => sum + c.missing, 0);
}
