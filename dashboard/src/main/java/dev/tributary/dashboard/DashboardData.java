package dev.tributary.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What the pages show, each part kept current by its own source ({@code timeline} null when not given). */
record DashboardData(
        ObjectNode config,
        ModelsJson models,
        DeadLetterLog deadLetters,
        UsageLog usage,
        InstanceMetrics instances,
        GroupLag lag,
        TimelineFile timeline,
        ChangeRequests changes,
        EventStream events) {}
