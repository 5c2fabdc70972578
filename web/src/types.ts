// The shapes of the /api/v1 responses the pages use (see docs/openapi.yaml).

export type Tier = 'low' | 'medium' | 'high';
export const TIERS: readonly Tier[] = ['low', 'medium', 'high'];

export interface RiskCutPoints {
  medium: number;
  high: number;
}

export interface MeanStd {
  mean: number;
  std: number;
}

export interface SummaryModel {
  id: number;
  name: string;
  version: number;
  algorithm: string;
  created_at: string;
  roc_auc: number | null;
}

export interface SegmentValue {
  value: string;
  customers: number;
  mean_churn_probability: number;
  high_risk: number;
}

export interface MonthGroup {
  month: string;
  customers: number;
  mean_churn_probability: number;
  high_risk: number;
}

export interface DashboardSummary {
  customers_scored: number;
  active_model: SummaryModel | null;
  predicted_churn_rate?: number;
  high_risk_customers?: number;
  tiers?: Record<Tier, number>;
  risk_tiers?: RiskCutPoints;
  revenue?: {
    column: string;
    monthly_total: number;
    expected_monthly_loss: number;
    high_risk_monthly: number;
  } | null;
  histogram?: { lower: number; upper: number; customers: number }[];
  segments?: { column: string; values: SegmentValue[] }[];
  trend?: { by: string; months: MonthGroup[] };
  actions?: ActionsSummary | null;
}

// The retention playbook's action for a customer (docs/playbook.md); null when no rule applies.
export interface Action {
  id: string;
  title: string;
  description: string;
  cost: number;
  reason: string | null; // the reason text that chose it; null for a tier-only rule
}

export interface ActionTotals {
  id: string;
  title: string;
  cost_per_customer: number;
  customers: number;
  total_cost: number;
  monthly_revenue: number;
  expected_monthly_loss: number;
}

export interface ActionsSummary {
  playbook: string;
  currency: string;
  customers_without_action: number;
  by_action: ActionTotals[];
}

export type InputValue = string | number | boolean | null;

// One input column's share of a customer's log-odds (above 0 raises the risk).
export interface Reason {
  column: string;
  value: InputValue;
  contribution: number;
  probability_effect?: number;
  text?: string;
}

export interface WhatIfReason extends Reason {
  before_value: InputValue;
  before_contribution: number;
  change: number;
  changed: boolean;
}

export interface WhatIfResult {
  churn_probability: number;
  risk_tier: Tier;
  base_value: number;
  probability_change: number;
  changed_columns: string[];
  recommended_action: Action | null;
  reasons: WhatIfReason[];
  before: { churn_probability: number; risk_tier: Tier; recommended_action: Action | null };
  model_version: number;
}

// The global view saved at training time (docs/explanations.md).
export interface Explanations {
  method: string;
  rows_explained: number;
  importance: { column: string; mean_abs_contribution: number; share: number }[];
  dependence: { column: string; type: string; values: InputValue[]; contributions: number[] }[];
  permutation_importance?: {
    metric?: string;
    baseline_roc_auc: number;
    fit_rows?: number;
    held_out_rows?: number;
    repeats?: number;
    columns: { column: string; roc_auc_drop: number; roc_auc_drop_std: number }[];
  } | null;
  partial_dependence?: { column: string; values: number[]; mean_probability: number[] }[];
}

export interface CustomerRow {
  customer_id: string;
  churn_probability: number;
  risk_tier: Tier;
  model_id: number;
  scored_at: string;
  recommended_action?: string | null; // an action id; titles come with the summary's actions
}

export interface CustomerPage {
  total: number;
  limit: number;
  offset: number;
  customers: CustomerRow[];
}

export interface CustomerDetail {
  customer_id: string;
  churn_probability: number;
  risk_tier: Tier;
  model_id: number;
  inputs: Record<string, InputValue>;
  history: { model_id: number; churn_probability: number; risk_tier: Tier; scored_at: string }[];
  outcomes: { churned: boolean; date: string; recorded_at: string }[];
  base_value?: number | null; // null when the active model did not score the stored inputs
  reasons?: Reason[] | null; // every input column, most important first
  recommended_action?: Action | null;
}

export type ColumnType = 'numeric' | 'boolean' | 'categorical' | 'identifier' | 'constant';

export interface NumericSummary {
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
  mean: number;
  std: number;
  outliers: number;
  histogram?: number[]; // counts in equal-width bins from min to max
}

export interface ColumnProfile {
  name: string;
  type: ColumnType;
  missing: number;
  missing_pct: number;
  distinct: number;
  top_share: number;
  numeric?: NumericSummary;
  top: { value: string; count: number }[];
  target_auc: number | null;
}

export interface ProfileWarning {
  kind: string;
  columns: string[];
  message: string;
}

export interface Profile {
  source: string;
  rows: number;
  columns: number;
  duplicate_rows: number;
  target: {
    column: string;
    positive_label: string;
    negative_label: string;
    positives: number;
    rate: number;
  } | null;
  column_profiles: ColumnProfile[];
  warnings: ProfileWarning[];
}

export interface Dataset {
  id: number;
  name: string;
  sha256: string;
  rows: number;
  columns: number;
  created_at: string;
  profile?: Profile;
}

export interface CurvePoint {
  x: number;
  y: number;
  threshold: number | null;
}

export interface ThresholdRow {
  threshold: number;
  precision: number;
  recall: number;
  f1: number;
  accuracy: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export interface EvaluationReport {
  metrics: {
    roc_auc: number;
    pr_auc: number;
    accuracy: number;
    precision: number;
    recall: number;
    f1: number;
    log_loss: number;
    brier: number;
    threshold: number;
    rows: number;
    positives: number;
    confusion: { tp: number; fp: number; tn: number; fn: number };
  };
  roc_curve: CurvePoint[];
  pr_curve: CurvePoint[];
  calibration: {
    lower: number;
    upper: number;
    count: number;
    mean_predicted: number;
    observed_rate: number;
  }[];
  lift: {
    decile: number;
    count: number;
    positives: number;
    rate: number;
    lift: number;
    cumulative_gain: number;
  }[];
  thresholds: ThresholdRow[];
}

export interface LeaderboardModel {
  name: string;
  title: string;
  cv: Record<string, MeanStd>;
  fit_seconds: number;
  out_of_fold?: EvaluationReport;
}

export interface Leaderboard {
  models: LeaderboardModel[];
  best: string;
  rows: number;
  duplicates_removed: number;
  target: string;
  positive_label: string;
  positive_rate: number;
  folds: number;
  feature_columns: string[];
  excluded_columns: { column: string; reason: string }[];
  seconds: number;
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface TrainingJob {
  id: number;
  dataset_id: number;
  request: TrainingRequest;
  status: JobStatus;
  progress: number;
  step: string;
  error: string | null;
  leaderboard: Leaderboard | null;
  model_id: number | null;
  created_at: string;
  started_at: string;
  finished_at: string;
}

export interface TrainingRequest {
  dataset_id: number;
  target: string;
  positive_label?: string;
  id_column?: string | string[];
  na_values?: string[];
  models?: string[];
  folds?: number;
}

export interface ModelSummary {
  id: number;
  name: string;
  version: number;
  algorithm: string;
  active: boolean;
  created_at: string;
  dataset_id: number | null;
  job_id: number | null;
  cv: Record<string, MeanStd>;
  bundle_sha256: string;
}

// One input field of the active model, for the score form.
export interface ModelInput {
  name: string;
  type: 'numeric' | 'boolean' | 'categorical';
  integer?: boolean;
  levels?: string[];
  true_label?: string;
  false_label?: string;
  min?: number;
  max?: number;
  median?: number;
  default: string | number | null;
}

export interface ModelDetail {
  id: number;
  name: string;
  version: number;
  algorithm: string;
  active: boolean;
  created_at: string;
  dataset_id: number | null;
  job_id?: number | null;
  parameters: Record<string, unknown>;
  metrics: { cv?: Record<string, MeanStd>; out_of_fold?: EvaluationReport; [key: string]: unknown };
  feature_importance: { column: string; importance: number }[];
  risk_tiers: RiskCutPoints;
  target: { column: string; positive_label: string };
  inputs?: ModelInput[];
  id_column?: string | null;
  explanations?: Explanations | null; // null for models trained before explanations
}

export interface Prediction {
  customer_id?: string;
  churn_probability: number;
  risk_tier: Tier;
  model_version: number;
}

export interface BatchJob {
  id: number;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled'; // cancelled: still queued when the server stopped
  rows: number;
  rejected_rows: number;
  model_version: number;
  created_at: string;
  finished_at: string;
  error: string | null;
  result?: string;
}

export interface BatchResult {
  rows: number;
  model_version: number;
  rejected: { line: number; column: string; reason: string }[];
  csv: string;
}
