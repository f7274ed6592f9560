package io.kalamdb.server.ws;

import static java.util.Objects.requireNonNull;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A connection's frames waiting for the socket: written while Vert.x's write queue has room, the rest on drain.
 * Every queued frame is counted in the connection's {@code pending} counter (counted when the engine handed it
 * over, or here for the connection's own frames), so the slow-subscriber bound sees frames still on their way
 * to the event loop as well as frames waiting here. Event-loop confined.
 */
final class OutboundQueue {
    private final ServerWebSocket socket;
    private final AtomicInteger pending;
    private final ArrayDeque<OutboundFrame> frames = new ArrayDeque<>();
    /**
     * Frames waiting here because the socket would not take them (its write queue is full): what the client has
     * not drained. Written on the event loop, read by the engine-side sink for the lagging verdict.
     */
    private volatile int undrained;
    private boolean waitingForDrain;
    private boolean closed;

    OutboundQueue(ServerWebSocket socket, AtomicInteger pending) {
        this.socket = requireNonNull(socket, "socket is null");
        this.pending = requireNonNull(pending, "pending is null");
    }

    /** Queues a frame already counted in {@code pending}. */
    void addCounted(OutboundFrame frame) {
        if (closed) {
            pending.decrementAndGet();
            return;
        }
        frames.add(frame);
        drain();
    }

    /** Queues a connection-level frame (auth, errors): behind the frames already queued, in order. */
    void add(OutboundFrame frame) {
        pending.incrementAndGet();
        addCounted(frame);
    }

    /**
     * Writes a frame now, ahead of the queue and regardless of the write queue's fill: the last frame of a
     * subscription whose queued frames were just dropped (their order with other subscriptions does not matter).
     */
    void writeNow(OutboundFrame frame) {
        if (!closed && !socket.isClosed()) {
            write(frame);
        }
    }

    /** Drops a subscription's queued frames; returns how many. */
    int dropFramesOf(ClientSubscription owner) {
        int dropped = 0;
        for (Iterator<OutboundFrame> it = frames.iterator(); it.hasNext(); ) {
            if (it.next().owner() == owner) {
                it.remove();
                dropped++;
            }
        }
        pending.addAndGet(-dropped);
        undrained = waitingForDrain ? frames.size() : 0;
        return dropped;
    }

    int size() {
        return frames.size();
    }

    /** Frames the client has not drained: queued here while the socket's write queue is full. */
    int undrained() {
        return undrained;
    }

    void close() {
        closed = true;
        pending.addAndGet(-frames.size());
        frames.clear();
        undrained = 0;
    }

    private void drain() {
        if (socket.isClosed()) {
            // the peer or the idle checker closed the socket while frames were on their way: nothing to write
            close();
            return;
        }
        while (!frames.isEmpty() && !socket.writeQueueFull()) {
            OutboundFrame frame = frames.poll();
            pending.decrementAndGet();
            write(frame);
        }
        undrained = frames.size();
        if (!frames.isEmpty() && !waitingForDrain) {
            waitingForDrain = true;
            socket.drainHandler(v -> {
                waitingForDrain = false;
                drain();
            });
        }
    }

    private void write(OutboundFrame frame) {
        if (frame.isBinary()) {
            socket.writeBinaryMessage(Buffer.buffer(frame.binary()));
        } else {
            socket.writeTextMessage(frame.text());
        }
        if (frame.owner() != null && frame.seq() >= 0) {
            frame.owner().delivered(frame.seq());
        }
    }
}
