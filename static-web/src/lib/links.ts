/**
 * The address of one activity row. The API has no GET /api/activity/{id}, so the link carries the bot and the
 * row's time: the detail view asks for that bot's activity since that moment and takes the oldest row.
 */
export function activityHref(activityId: number, botId: number, at: string): string {
  return `/activity/${activityId}?bot=${botId}&at=${encodeURIComponent(at)}`;
}
