/** The words of docs/cs-method.md for an account: its service model, lifecycle stage, language, status. */
export const TIERS = ['tech_touch', 'low_touch', 'mid_touch', 'high_touch', 'exclusive'] as const;
export const STAGES = ['onboarding', 'adoption', 'expansion', 'renewal'] as const;
export const LOCALES = ['en', 'pt-BR'] as const;
export const ACCOUNT_STATUSES = ['active', 'churned'] as const;
