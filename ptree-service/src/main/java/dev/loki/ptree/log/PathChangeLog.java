package dev.loki.ptree.log;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.loki.events.ChangeLogPage;
import dev.loki.events.EventCodec;
import dev.loki.events.LokiEvent;
import dev.loki.ptree.system.PtreeProperties;

/**
 * The authoritative record of renames, moves and deletions, written in ZooKeeper in the same
 * multi-op transaction as the change itself (an outbox): a change is in the log if and only if it
 * committed, whatever happens to Redis afterwards. Entries are persistent sequential znodes, so their
 * order is the order the changes committed in:
 *
 * <pre>
 * {root}/path-changes                 data: the highest sequence pruned so far (decimal)
 * {root}/path-changes/c-0000000041    data: the event, as {@link EventCodec} encodes it
 * </pre>
 *
 * An entry's sequence is its znode's counter plus one, so the first is 1 and 0 means "none yet".
 *
 * auth-service and monitor-service read it (through {@code /internal/ptree/path-changes}) to move
 * grants and alert rules; the {@code ptree.path-changes} stream only wakes them up. Entries older than
 * {@link PtreeProperties#pathChangeRetention()} are pruned. Blocking calls: run them on
 * {@code boundedElastic}.
 */
@Component
public class PathChangeLog {

    private static final Logger log = LoggerFactory.getLogger(PathChangeLog.class);
    private static final String PREFIX = "c-";

    private final CuratorFramework zk;
    private final EventCodec codec;
    private final String root;
    private final Duration retention;

    PathChangeLog(CuratorFramework zk, EventCodec codec, PtreeProperties properties) {
        this.zk = zk;
        this.codec = codec;
        this.root = properties.zkRoot() + "/path-changes";
        this.retention = properties.pathChangeRetention();
    }

    /** Creates the log's container unless it exists (safe on every replica at start-up). */
    public void ensure() throws Exception {
        try {
            zk.create().creatingParentContainersIfNeeded().forPath(root, "0".getBytes(StandardCharsets.US_ASCII));
        } catch (KeeperException.NodeExistsException e) {
            // another replica (or an earlier start) made it
        }
    }

    /** The operation that records {@code event}; put it into the change's own transaction. */
    public CuratorOp entry(LokiEvent event) throws Exception {
        return zk.transactionOp().create().withMode(CreateMode.PERSISTENT_SEQUENTIAL)
                .forPath(root + "/" + PREFIX, codec.encode(event).getBytes(StandardCharsets.UTF_8));
    }

    /** Up to {@code limit} entries after {@code after}, oldest first. */
    public ChangeLogPage after(long after, int limit) throws Exception {
        long prunedThrough = prunedThrough();
        List<Long> sequences = sequences().stream().filter(s -> s > after).limit(limit).toList();
        List<ChangeLogPage.Entry> items = new ArrayList<>(sequences.size());
        for (long sequence : sequences) {
            try {
                items.add(new ChangeLogPage.Entry(sequence, new String(zk.getData().forPath(name(sequence)), StandardCharsets.UTF_8)));
            } catch (KeeperException.NoNodeException e) {
                // pruned meanwhile: prunedThrough (read first) may be stale, so stop here and let the caller ask again
                break;
            }
        }
        return new ChangeLogPage(prunedThrough, items);
    }

    /**
     * Removes entries older than the retention. The high-water mark is raised before an entry goes, so
     * a reader always learns that something it has not seen is gone.
     *
     * @return how many entries were removed
     */
    public int prune() throws Exception {
        Instant cutoff = Instant.now().minus(retention);
        List<Long> old = new ArrayList<>();
        for (long sequence : sequences()) {
            Stat stat = zk.checkExists().forPath(name(sequence));
            if (stat == null) {
                continue;
            }
            if (Instant.ofEpochMilli(stat.getCtime()).isAfter(cutoff)) {
                break;
            }
            old.add(sequence);
        }
        if (old.isEmpty()) {
            return 0;
        }
        raisePrunedThrough(old.get(old.size() - 1));
        for (long sequence : old) {
            zk.delete().quietly().forPath(name(sequence));
        }
        log.info("pruned {} path changes older than {}", old.size(), retention);
        return old.size();
    }

    private void raisePrunedThrough(long sequence) throws Exception {
        while (true) {
            Stat stat = new Stat();
            long current = parse(zk.getData().storingStatIn(stat).forPath(root));
            if (current >= sequence) {
                return;
            }
            try {
                zk.setData().withVersion(stat.getVersion()).forPath(root, Long.toString(sequence).getBytes(StandardCharsets.US_ASCII));
                return;
            } catch (KeeperException.BadVersionException e) {
                // another replica pruned at the same time: read again
            }
        }
    }

    private long prunedThrough() throws Exception {
        return parse(zk.getData().forPath(root));
    }

    private List<Long> sequences() throws Exception {
        return zk.getChildren().forPath(root).stream().filter(n -> n.startsWith(PREFIX))
                .map(n -> Long.parseLong(n.substring(PREFIX.length())) + 1).sorted(Comparator.naturalOrder()).toList();
    }

    private String name(long sequence) {
        return root + "/" + PREFIX + String.format("%010d", sequence - 1);
    }

    private static long parse(byte[] data) {
        String text = data == null ? "" : new String(data, StandardCharsets.US_ASCII).trim();
        return text.isEmpty() ? 0 : Long.parseLong(text);
    }
}
