import { Empty } from '../States';

export function NotFound() {
  return (
    <div class="page">
      <Empty title="No such page">
        The address does not match a view. <a href="/activity">Go to the activity stream</a>.
      </Empty>
    </div>
  );
}
