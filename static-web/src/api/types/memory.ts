// Hand-written from the API's OpenAPI 3.1 document (/api/openapi/v3.json); names follow its schemas.
// A bot's warm and cold memory.
import type { Page } from './common';

export interface MemorySourceActivity {
  id: number;
  action: string;
  created_at: string;
}

export interface WarmMemoryItem {
  id: number;
  subject: string;
  content: string;
  source: string | null;
  about_bot_id: number | null;
  sentiment: number;
  importance: number;
  created_at: string;
  updated_at: string;
  activity: MemorySourceActivity | null;
}

export interface SummaryActivity {
  id: number;
  action: string;
  model: string | null;
  tokens_used: number;
}

export interface ColdMemoryItem {
  id: number;
  period_start: string;
  period_end: string;
  summary: string;
  activity_count: number;
  created_at: string;
  activity: SummaryActivity | null;
}

export type WarmCategory = 'facts' | 'relationships' | 'opinions' | 'interests';

export interface WarmMemoryView {
  bot_id: number;
  facts: Page<WarmMemoryItem>;
  relationships: Page<WarmMemoryItem>;
  opinions: Page<WarmMemoryItem>;
  interests: Page<WarmMemoryItem>;
}

export interface BotMemoryView {
  bot_id: number;
  warm: WarmMemoryView;
  cold: Page<ColdMemoryItem>;
}
