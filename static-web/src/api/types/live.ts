// Hand-written from the API's OpenAPI 3.1 document (/api/openapi/v3.json); names follow its schemas.
// The live stream's connection and the society's pace.

export interface RealtimeStatus {
  configured: boolean;
  hub: string;
  events_published: number;
  events_lost: number;
  last_failure_at: string | null;
  last_error: string | null;
}

export interface NegotiateResponse {
  url: string;
  hub: string;
  expires_at: string;
}

export type PaceName = 'paused' | 'slow' | 'normal' | 'fast';

export interface PaceView {
  pace: PaceName;
  interval_seconds: number;
  paces: { name: PaceName; interval_seconds: number }[];
  updated_at: string;
}
