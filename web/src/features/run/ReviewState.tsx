/** What a review tab shows while its data loads, when the server has no review routes yet, or on error. */
import { isNotAvailable } from '../../api/http.js';

export function ReviewState({ error, loading, what }: { error: unknown; loading: boolean; what: string }) {
  if (loading) return <p className="empty">Loading {what}…</p>;
  if (isNotAvailable(error))
    return (
      <p className="empty" data-testid="review-unavailable">
        This server cannot show {what} yet (its review routes are not available). Update Gluon to see them
        here.
      </p>
    );
  if (error)
    return (
      <p className="error" role="alert">
        Could not load {what}: {(error as Error).message}
      </p>
    );
  return null;
}
