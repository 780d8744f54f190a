/** The address of one activity row in the dashboard: the row, then what the same bot did right after it. */
export function activityHref(activityId: number): string {
  return `/activity/${activityId}`;
}
