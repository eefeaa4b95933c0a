package dev.tributary.it;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Everything a cluster's clients wrote, as a file: each topic (partitions, the configs set on it,
 * the committed records of each partition with offset, timestamp, key, value and headers) and each
 * consumer group's committed offsets. {@link #load} writes it into another (empty) cluster: the
 * same topics and records, and the same group positions, so an application started there goes on
 * where the one that wrote the topics stopped.
 *
 * <p>Records are read with {@code read_committed}: aborted transactional records and transaction
 * markers are not in the file, so the loaded offsets are dense; {@link #load} maps each committed
 * group offset to the offset its record got. Timestamps move forward by the same amount, so that the
 * newest record is as new as the load, and retention keeps them all.
 *
 * <p>From the command line (Kafka's client and this class on the class path):
 * {@code TopicSnapshot capture HOST:PORT FILE}.
 *
 * <p>The file is gzip'd; inside, big-endian: {@code "TRIBSNAP"}, the format version (int), the
 * topic count and each topic (name, partitions, configs, then per partition its record count and
 * records), the group count and each group (id, then its offsets). A byte array is its length (int,
 * -1 for null) and its bytes.
 */
final class TopicSnapshot {
    private static final String MAGIC = "TRIBSNAP";
    private static final int FORMAT = 1;

    /** One record as it was committed, at its offset in the captured cluster. */
    record Rec(long offset, long timestamp, byte[] key, byte[] value, List<Header> headers) {}

    /** A topic: its partition count, the configs set on it, and the records of each partition. */
    record TopicData(String name, int partitions, Map<String, String> configs, List<List<Rec>> records) {
        int recordCount() {
            return records.stream().mapToInt(List::size).sum();
        }
    }

    private final Map<String, TopicData> topics;
    private final Map<String, Map<TopicPartition, OffsetAndMetadata>> groups;

    private TopicSnapshot(Map<String, TopicData> topics, Map<String, Map<TopicPartition, OffsetAndMetadata>> groups) {
        this.topics = topics;
        this.groups = groups;
    }

    Map<String, TopicData> topics() {
        return topics;
    }

    TopicData topic(String name) {
        TopicData t = topics.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no topic " + name + " in the snapshot: " + topics.keySet());
        }
        return t;
    }

    Map<String, Map<TopicPartition, OffsetAndMetadata>> groups() {
        return groups;
    }

    /** The records of {@code topic} at or past {@code group}'s committed offsets: what the group has still to read. */
    List<Rec> unread(String group, String topic) {
        TopicData t = topic(topic);
        Map<TopicPartition, OffsetAndMetadata> committed = groups.getOrDefault(group, Map.of());
        List<Rec> unread = new ArrayList<>();
        for (int p = 0; p < t.partitions(); p++) {
            OffsetAndMetadata at = committed.get(new TopicPartition(topic, p));
            long from = at == null ? Long.MIN_VALUE : at.offset();
            for (Rec r : t.records().get(p)) {
                if (r.offset() >= from) {
                    unread.add(r);
                }
            }
        }
        return unread;
    }

    /** Reads every topic but Kafka's own, and every group's offsets, from the cluster at {@code bootstrapServers}. */
    static TopicSnapshot capture(String bootstrapServers) throws Exception {
        Map<String, Object> client = Map.of("bootstrap.servers", bootstrapServers);
        Map<String, TopicData> topics = new TreeMap<>();
        Map<String, Map<TopicPartition, OffsetAndMetadata>> groups = new TreeMap<>();
        try (Admin admin = Admin.create(client)) {
            Collection<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            Map<String, TopicDescription> described =
                    admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
            List<ConfigResource> resources = names.stream()
                    .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n))
                    .toList();
            Map<ConfigResource, Config> configs =
                    admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
            awaitSettled(admin, described);
            for (String name : names) {
                Map<String, String> set = new TreeMap<>();
                for (ConfigEntry e : configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name))
                        .entries()) {
                    if (e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG) {
                        set.put(e.name(), e.value());
                    }
                }
                int partitions = described.get(name).partitions().size();
                topics.put(name, new TopicData(name, partitions, set, readAll(client, name, partitions)));
            }
            for (GroupListing g : admin.listGroups().all().get(30, TimeUnit.SECONDS)) {
                Map<TopicPartition, OffsetAndMetadata> offsets = new TreeMap<>(
                        java.util.Comparator.comparing(TopicPartition::topic).thenComparing(TopicPartition::partition));
                admin.listConsumerGroupOffsets(g.groupId())
                        .partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS)
                        .forEach((tp, o) -> {
                            if (o != null) {
                                offsets.put(tp, o);
                            }
                        });
                groups.put(g.groupId(), offsets);
            }
        }
        return new TopicSnapshot(topics, groups);
    }

    /** Waits until no partition has an open transaction (a killed producer's is aborted when it times out). */
    private static void awaitSettled(Admin admin, Map<String, TopicDescription> topics) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        topics.values()
                .forEach(t -> t.partitions()
                        .forEach(p -> latest.put(new TopicPartition(t.name(), p.partition()), OffsetSpec.latest())));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (true) {
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> committed = admin.listOffsets(
                            latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> written = admin.listOffsets(
                            latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            if (latest.keySet().stream()
                    .allMatch(
                            tp -> committed.get(tp).offset() == written.get(tp).offset())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("transactions still open after 2 minutes");
            }
            Thread.sleep(1000);
        }
    }

    private static List<List<Rec>> readAll(Map<String, Object> client, String topic, int partitions) {
        Map<String, Object> props = new HashMap<>(client);
        props.put("isolation.level", "read_committed");
        props.put("enable.auto.commit", "false");
        props.put("max.partition.fetch.bytes", String.valueOf(64 * 1024 * 1024));
        props.put("fetch.max.bytes", String.valueOf(64 * 1024 * 1024));
        List<List<Rec>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (int p = 0; p < partitions; p++) {
                TopicPartition tp = new TopicPartition(topic, p);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                long end = consumer.endOffsets(List.of(tp)).get(tp);
                List<Rec> read = new ArrayList<>();
                while (consumer.position(tp) < end) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        if (r.offset() < end) {
                            read.add(new Rec(
                                    r.offset(),
                                    r.timestamp(),
                                    r.key(),
                                    r.value(),
                                    List.of(r.headers().toArray())));
                        }
                    }
                }
                records.add(read);
            }
        }
        return records;
    }

    /**
     * Creates the topics in the (empty) cluster at {@code bootstrapServers}, writes the records in
     * their order, and commits each group's offsets at the same records.
     */
    void load(String bootstrapServers) throws Exception {
        Map<String, Object> client = Map.of("bootstrap.servers", bootstrapServers);
        long newest = topics.values().stream()
                .flatMap(t -> t.records().stream())
                .flatMap(List::stream)
                .mapToLong(Rec::timestamp)
                .max()
                .orElse(0);
        long shift = Math.max(0, System.currentTimeMillis() - newest);
        Map<TopicPartition, long[][]> moved = new HashMap<>();
        try (Admin admin = Admin.create(client)) {
            List<NewTopic> wanted = topics.values().stream()
                    .map(t -> new NewTopic(t.name(), t.partitions(), (short) -1).configs(t.configs()))
                    .toList();
            admin.createTopics(wanted).all().get(60, TimeUnit.SECONDS);
            awaitLeaders(admin, topics.keySet());
            Map<String, Object> props = new HashMap<>(client);
            props.put("acks", "all");
            props.put("enable.idempotence", "true");
            // One batch in flight: a batch retried (a leader still being elected) stays ahead of the next.
            props.put("max.in.flight.requests.per.connection", "1");
            props.put("max.request.size", String.valueOf(64 * 1024 * 1024));
            props.put("linger.ms", "5");
            try (KafkaProducer<byte[], byte[]> producer =
                    new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
                for (TopicData t : topics.values()) {
                    for (int p = 0; p < t.partitions(); p++) {
                        List<Rec> rs = t.records().get(p);
                        List<Future<RecordMetadata>> sent = new ArrayList<>(rs.size());
                        for (Rec r : rs) {
                            sent.add(producer.send(new ProducerRecord<>(
                                    t.name(), p, r.timestamp() + shift, r.key(), r.value(), r.headers())));
                        }
                        long[][] offsets = new long[2][rs.size()];
                        for (int i = 0; i < rs.size(); i++) {
                            offsets[0][i] = rs.get(i).offset();
                            offsets[1][i] =
                                    sent.get(i).get(60, TimeUnit.SECONDS).offset();
                        }
                        moved.put(new TopicPartition(t.name(), p), offsets);
                    }
                }
            }
            for (Map.Entry<String, Map<TopicPartition, OffsetAndMetadata>> g : groups.entrySet()) {
                Map<TopicPartition, OffsetAndMetadata> at = new HashMap<>();
                g.getValue()
                        .forEach((tp, o) ->
                                at.put(tp, new OffsetAndMetadata(movedTo(moved, tp, o.offset()), o.metadata())));
                if (!at.isEmpty()) {
                    admin.alterConsumerGroupOffsets(g.getKey(), at).all().get(60, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static void awaitLeaders(Admin admin, Collection<String> names) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
                .flatMap(t -> t.partitions().stream())
                .allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("partitions without a leader after 60 s: " + names);
            }
            Thread.sleep(100);
        }
    }

    /** The loaded offset of the first record at or past {@code offset} in the captured partition (or the end). */
    private static long movedTo(Map<TopicPartition, long[][]> moved, TopicPartition tp, long offset) {
        long[][] offsets = moved.get(tp);
        if (offsets == null) {
            throw new IllegalStateException("a group offset on " + tp + ", which the snapshot does not have");
        }
        for (int i = 0; i < offsets[0].length; i++) {
            if (offsets[0][i] >= offset) {
                return offsets[1][i];
            }
        }
        return offsets[1].length == 0 ? 0 : offsets[1][offsets[1].length - 1] + 1;
    }

    void write(Path file) throws IOException {
        try (DataOutputStream out =
                new DataOutputStream(new BufferedOutputStream(new GZIPOutputStream(Files.newOutputStream(file))))) {
            out.writeUTF(MAGIC);
            out.writeInt(FORMAT);
            out.writeInt(topics.size());
            for (TopicData t : topics.values()) {
                out.writeUTF(t.name());
                out.writeInt(t.partitions());
                writeMap(out, t.configs());
                for (List<Rec> partition : t.records()) {
                    out.writeInt(partition.size());
                    for (Rec r : partition) {
                        out.writeLong(r.offset());
                        out.writeLong(r.timestamp());
                        writeBytes(out, r.key());
                        writeBytes(out, r.value());
                        out.writeInt(r.headers().size());
                        for (Header h : r.headers()) {
                            out.writeUTF(h.key());
                            writeBytes(out, h.value());
                        }
                    }
                }
            }
            out.writeInt(groups.size());
            for (Map.Entry<String, Map<TopicPartition, OffsetAndMetadata>> g : groups.entrySet()) {
                out.writeUTF(g.getKey());
                out.writeInt(g.getValue().size());
                for (Map.Entry<TopicPartition, OffsetAndMetadata> o :
                        g.getValue().entrySet()) {
                    out.writeUTF(o.getKey().topic());
                    out.writeInt(o.getKey().partition());
                    out.writeLong(o.getValue().offset());
                    out.writeUTF(
                            o.getValue().metadata() == null ? "" : o.getValue().metadata());
                }
            }
        }
    }

    static TopicSnapshot read(InputStream file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(file)))) {
            if (!MAGIC.equals(in.readUTF()) || in.readInt() != FORMAT) {
                throw new IOException("not a topic snapshot of format " + FORMAT);
            }
            Map<String, TopicData> topics = new TreeMap<>();
            for (int t = in.readInt(); t > 0; t--) {
                String name = in.readUTF();
                int partitions = in.readInt();
                Map<String, String> configs = readMap(in);
                List<List<Rec>> records = new ArrayList<>();
                for (int p = 0; p < partitions; p++) {
                    List<Rec> partition = new ArrayList<>();
                    for (int n = in.readInt(); n > 0; n--) {
                        long offset = in.readLong();
                        long timestamp = in.readLong();
                        byte[] key = readBytes(in);
                        byte[] value = readBytes(in);
                        List<Header> headers = new ArrayList<>();
                        for (int h = in.readInt(); h > 0; h--) {
                            headers.add(new RecordHeader(in.readUTF(), readBytes(in)));
                        }
                        partition.add(new Rec(offset, timestamp, key, value, headers));
                    }
                    records.add(partition);
                }
                topics.put(name, new TopicData(name, partitions, configs, records));
            }
            Map<String, Map<TopicPartition, OffsetAndMetadata>> groups = new TreeMap<>();
            for (int g = in.readInt(); g > 0; g--) {
                String id = in.readUTF();
                Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
                for (int n = in.readInt(); n > 0; n--) {
                    TopicPartition tp = new TopicPartition(in.readUTF(), in.readInt());
                    offsets.put(tp, new OffsetAndMetadata(in.readLong(), in.readUTF()));
                }
                groups.put(id, offsets);
            }
            return new TopicSnapshot(topics, groups);
        }
    }

    private static void writeMap(DataOutputStream out, Map<String, String> map) throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeUTF(e.getValue());
        }
    }

    private static Map<String, String> readMap(DataInputStream in) throws IOException {
        Map<String, String> map = new TreeMap<>();
        for (int n = in.readInt(); n > 0; n--) {
            map.put(in.readUTF(), in.readUTF());
        }
        return map;
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes == null ? -1 : bytes.length);
        if (bytes != null) {
            out.write(bytes);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        return length < 0 ? null : in.readNBytes(length);
    }

    /** {@code capture HOST:PORT FILE}: writes the cluster's topics and group offsets to FILE, and what it holds to stdout. */
    public static void main(String[] args) throws Exception {
        if (args.length != 3 || !"capture".equals(args[0])) {
            System.err.println("usage: TopicSnapshot capture HOST:PORT FILE");
            System.exit(2);
        }
        TopicSnapshot snapshot = capture(args[1]);
        snapshot.write(Path.of(args[2]));
        for (TopicData t : snapshot.topics().values()) {
            System.out.printf(
                    "%s: %d partitions, %d records, %s%n", t.name(), t.partitions(), t.recordCount(), t.configs());
        }
        snapshot.groups()
                .forEach((group, offsets) -> offsets.keySet().stream()
                        .map(TopicPartition::topic)
                        .distinct()
                        .forEach(topic -> System.out.printf(
                                "group %s: %d unread records of %s%n",
                                group, snapshot.unread(group, topic).size(), topic)));
    }
}
