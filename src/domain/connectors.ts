/** A record a connector skipped, and why: the latest few are kept for GET /connectors and /cs connectors. */
export interface SkippedRecord {
  /** What names the record at its source: a message ID, a ticket or company ID. */
  record: string;
  reason: string;
  /** When it was skipped, ISO 8601. */
  at: string;
}
