package io.kalamdb.server;

/**
 * Every event-bus address of the server, declared in one place: the {@code KalamService} proxy sends to them and
 * {@code KalamServiceVerticle} consumes them all.
 */
public final class Addresses {
    /** {@code SqlRequest} → {@code SqlReply}: authorise the token's user, then run a batch of SQL. */
    public static final String SQL_EXECUTE = "kalam.sql.execute";
    /** {@code ScanRequest} → {@code ScanCursor}: open one SELECT as an uncapped stream of row batches. */
    public static final String SCAN_OPEN = "kalam.scan.open";
    /** {@code LoginRequest} → {@code UserRecord}: check a password (bcrypt, on the worker). */
    public static final String AUTH_LOGIN = "kalam.auth.login";
    /** {@code Principal} → {@code UserRecord}: the live user a valid token names, role claim checked. */
    public static final String AUTH_VERIFY = "kalam.auth.verify";
    /** no body → {@code Boolean}: whether root still has no password (first-run setup pending). */
    public static final String AUTH_NEEDS_SETUP = "kalam.auth.needs-setup";
    /** {@code SetupRequest} → {@code UserRecord}: first-run setup, returns the new dba user. */
    public static final String AUTH_SETUP = "kalam.auth.setup";

    /** {@code TopicConsumeRequest} → {@code TopicConsumeReply}: read (and claim) topic messages. */
    public static final String TOPIC_CONSUME = "kalam.topics.consume";
    /** {@code TopicAckRequest} → {@code Long}: commit a group's offset, the committed value in reply. */
    public static final String TOPIC_ACK = "kalam.topics.ack";

    /** {@code LiveSubscribeRequest} → {@code Subscription}: validate, register and send the first page. */
    public static final String LIVE_SUBSCRIBE = "kalam.live.subscribe";
    /** {@code LiveNextBatchRequest} → nothing: send the next page of initial data to the sink. */
    public static final String LIVE_NEXT_BATCH = "kalam.live.next-batch";
    /** {@code Subscription} → nothing: end a live subscription (idempotent). */
    public static final String LIVE_UNSUBSCRIBE = "kalam.live.unsubscribe";

    /**
     * Published (to every HTTP verticle) with a user id after that user was dropped, re-created, or got a new
     * password, role or lock: its WebSockets check their token again (ADR 0005).
     */
    public static final String USER_CHANGED = "kalam.auth.user-changed";

    private Addresses() {
    }
}
