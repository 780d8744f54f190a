import { useDocumentTitle } from '../Layout/title';

export function NotFound() {
  useDocumentTitle('Page not found');
  return (
    <div class="page">
      <div class="page-head">
        <div>
          <h1>No such page</h1>
          <p>
            The address does not match a view. <a href="/activity">Go to the activity stream</a>.
          </p>
        </div>
      </div>
    </div>
  );
}
