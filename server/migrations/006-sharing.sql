-- Sharing: at most one pending request per requesting department and dataset (the service checks
-- first and answers 409 naming the pending one; this index keeps two requests at the same moment out).
CREATE UNIQUE INDEX share_requests_one_pending ON yitu.share_requests (dataset_id, department_id) WHERE status = 'pending';
-- The grant an approval created, to show it with its request.
CREATE INDEX dataset_grants_request_idx ON yitu.dataset_grants (request_id) WHERE request_id IS NOT NULL;
-- Unread notifications of a user (the badge of the web app).
CREATE INDEX notifications_unread_idx ON yitu.notifications (user_id) WHERE read_at IS NULL;
