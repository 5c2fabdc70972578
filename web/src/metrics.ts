// Model-quality arithmetic for the training and model pages: the confusion matrix at a chosen
// threshold (from the server's 0.00..1.00 sweep) and plain-language readings of it.
import type { ThresholdRow } from './types';

// The sweep row nearest to `threshold` (the sweep has one row per 0.01).
export function rowAtThreshold(sweep: ThresholdRow[], threshold: number): ThresholdRow | null {
  if (sweep.length === 0) return null;
  let best = sweep[0];
  for (const row of sweep) {
    if (Math.abs(row.threshold - threshold) < Math.abs(best.threshold - threshold)) best = row;
  }
  return best;
}

// The threshold with the highest F1: a sensible starting point for the slider.
export function bestF1Threshold(sweep: ThresholdRow[]): number {
  let best: ThresholdRow | null = null;
  for (const row of sweep) if (!best || row.f1 > best.f1) best = row;
  return best ? best.threshold : 0.5;
}

export interface Reading {
  flagged: number; // customers the model would flag
  caught: number; // of the real leavers, flagged
  leavers: number; // real leavers
  falseAlarms: number; // flagged but stayed
}

export function reading(row: ThresholdRow): Reading {
  return {
    flagged: row.tp + row.fp,
    caught: row.tp,
    leavers: row.tp + row.fn,
    falseAlarms: row.fp,
  };
}

// Friendly names for the model families the server trains.
export const ALGORITHM_NAMES: Record<string, string> = {
  lr: 'Logistic regression',
  rf: 'Random forest',
  gbm: 'Gradient boosting',
};
export const ALGORITHM_BLURBS: Record<string, string> = {
  lr: 'Simple and transparent: each column pushes the risk up or down by a fixed amount.',
  rf: 'Many decision trees voting together; robust with little tuning.',
  gbm: 'Trees built one after another, each fixing the last one’s mistakes; usually the most accurate.',
};
export function algorithmName(code: string): string {
  return ALGORITHM_NAMES[code] ?? code;
}

// How good a ROC-AUC is, in words.
export function aucVerdict(auc: number | null | undefined): string {
  if (auc === null || auc === undefined || !Number.isFinite(auc)) return 'unknown';
  if (auc >= 0.9) return 'excellent';
  if (auc >= 0.8) return 'good';
  if (auc >= 0.7) return 'fair';
  if (auc >= 0.6) return 'weak';
  return 'no better than guessing';
}
