package io.kalamdb.engine.api;

import io.kalamdb.engine.StatementResult;
import io.kalamdb.engine.auth.UserRecord;
import io.kalamdb.engine.live.Subscription;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The engine's one service for every front end (HTTP, WebSocket, gRPC): each call names its caller, is authorised
 * inside the engine and answers with a stage that fails with a {@code KalamException} carrying a stable code.
 *
 * <p>Calls never block the caller. The in-process implementation ({@code KalamServices.local}) runs the work on the executor it
 * is given; the server's event-bus proxy sends each request to the binder verticle that calls it. A principal is
 * what a verified token says; the engine checks it against the stored user before anything runs (ADR 0005).
 */
public interface KalamService extends ScanService {

    /** Runs a batch of SQL as the principal's user; a single write completes once it is durable. */
    CompletionStage<List<StatementResult>> execute(SqlRequest request);

    /** Reads (and claims) topic messages; service, dba and system roles only. */
    CompletionStage<TopicConsumeReply> consume(TopicConsumeRequest request);

    /** Acknowledges a consumer's messages up to an offset; the group's committed offset in reply. */
    CompletionStage<Long> ack(TopicAckRequest request);

    /** Registers a live query; its sink has had the first page of initial data when the stage completes. */
    CompletionStage<Subscription> subscribe(LiveSubscribeRequest request);

    /** Sends a subscription's next page of initial data to its sink. */
    CompletionStage<Void> nextBatch(LiveNextBatchRequest request);

    /** Ends a live subscription; idempotent. */
    CompletionStage<Void> unsubscribe(Subscription subscription);

    /** Checks a password; the authenticated user in reply. */
    CompletionStage<UserRecord> login(LoginRequest request);

    /** The stored user a verified token names, if the token still holds (role claim, generation, lock). */
    CompletionStage<UserRecord> verify(Principal principal);

    /** Whether root still has no password (first-run setup pending). */
    CompletionStage<Boolean> needsSetup();

    /** First-run setup: sets root's password and creates a dba user, returned in reply. */
    CompletionStage<UserRecord> setup(SetupRequest request);
}
