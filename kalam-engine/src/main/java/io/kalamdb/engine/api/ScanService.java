package io.kalamdb.engine.api;

import java.util.concurrent.CompletionStage;

/**
 * Streams the rows of one SELECT in batches with no row limit and no byte budget (Trino's page source): what a
 * columnar front end such as Arrow Flight reads, and what a capped response takes a prefix of.
 */
public interface ScanService {

    /**
     * Opens the query as the principal's user, authorised on its plan like every SELECT (PERMISSION_DENIED before
     * any row is read); the request's control cancels it and bounds it by the role's statement timeout.
     */
    CompletionStage<ScanCursor> openScan(ScanRequest request);
}
