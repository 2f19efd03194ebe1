using System.Text.Json.Serialization;

namespace Berth.Api.Wire.Containers;

/// <summary>
/// One object of <c>GET /containers/{id}/stats</c> (Go's <c>types.StatsJSON</c>), in Go's field
/// order and with its <c>omitempty</c> rules, so a stopped container gives dockerd's near-empty shape.
/// </summary>
public sealed class ContainerStats
{
    [JsonPropertyName("read")] public string Read { get; set; } = GoTime.ZeroTime;
    [JsonPropertyName("preread")] public string PreRead { get; set; } = GoTime.ZeroTime;
    [JsonPropertyName("pids_stats")] public PidsStats PidsStats { get; set; } = new();
    [JsonPropertyName("blkio_stats")] public BlkioStats BlkioStats { get; set; } = new();
    [JsonPropertyName("num_procs")] public uint NumProcs { get; set; }
    [JsonPropertyName("storage_stats")] public EmptyObject StorageStats { get; set; } = new();
    [JsonPropertyName("cpu_stats")] public CpuStats CpuStats { get; set; } = new();
    [JsonPropertyName("precpu_stats")] public CpuStats PreCpuStats { get; set; } = new();
    [JsonPropertyName("memory_stats")] public MemoryStats MemoryStats { get; set; } = new();
    [JsonPropertyName("name"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Name { get; set; }
    [JsonPropertyName("id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Id { get; set; }
    [JsonPropertyName("networks"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Dictionary<string, NetworkStats>? Networks { get; set; }
}

public sealed class PidsStats
{
    [JsonPropertyName("current"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong Current { get; set; }
    [JsonPropertyName("limit"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong Limit { get; set; }
}

public sealed class BlkioStats
{
    [JsonPropertyName("io_service_bytes_recursive")] public List<BlkioStatEntry>? IoServiceBytesRecursive { get; set; }
    [JsonPropertyName("io_serviced_recursive")] public List<BlkioStatEntry>? IoServicedRecursive { get; set; }
    [JsonPropertyName("io_queue_recursive")] public List<BlkioStatEntry>? IoQueuedRecursive { get; set; }
    [JsonPropertyName("io_service_time_recursive")] public List<BlkioStatEntry>? IoServiceTimeRecursive { get; set; }
    [JsonPropertyName("io_wait_time_recursive")] public List<BlkioStatEntry>? IoWaitTimeRecursive { get; set; }
    [JsonPropertyName("io_merged_recursive")] public List<BlkioStatEntry>? IoMergedRecursive { get; set; }
    [JsonPropertyName("io_time_recursive")] public List<BlkioStatEntry>? IoTimeRecursive { get; set; }
    [JsonPropertyName("sectors_recursive")] public List<BlkioStatEntry>? SectorsRecursive { get; set; }
}

public sealed class BlkioStatEntry
{
    [JsonPropertyName("major")] public ulong Major { get; set; }
    [JsonPropertyName("minor")] public ulong Minor { get; set; }
    [JsonPropertyName("op")] public string Op { get; set; } = "";
    [JsonPropertyName("value")] public ulong Value { get; set; }
}

public sealed class CpuStats
{
    [JsonPropertyName("cpu_usage")] public CpuUsage CpuUsage { get; set; } = new();
    [JsonPropertyName("system_cpu_usage"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong SystemUsage { get; set; }
    [JsonPropertyName("online_cpus"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public uint OnlineCpus { get; set; }
    [JsonPropertyName("throttling_data")] public ThrottlingData ThrottlingData { get; set; } = new();
}

public sealed class CpuUsage
{
    [JsonPropertyName("total_usage")] public ulong TotalUsage { get; set; }
    [JsonPropertyName("percpu_usage"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public List<ulong>? PercpuUsage { get; set; }
    [JsonPropertyName("usage_in_kernelmode")] public ulong UsageInKernelmode { get; set; }
    [JsonPropertyName("usage_in_usermode")] public ulong UsageInUsermode { get; set; }
}

public sealed class ThrottlingData
{
    [JsonPropertyName("periods")] public ulong Periods { get; set; }
    [JsonPropertyName("throttled_periods")] public ulong ThrottledPeriods { get; set; }
    [JsonPropertyName("throttled_time")] public ulong ThrottledTime { get; set; }
}

public sealed class MemoryStats
{
    [JsonPropertyName("usage"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong Usage { get; set; }
    [JsonPropertyName("max_usage"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong MaxUsage { get; set; }
    /// <summary>Sorted by key, as Go writes a map.</summary>
    [JsonPropertyName("stats"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public SortedDictionary<string, ulong>? Stats { get; set; }
    [JsonPropertyName("failcnt"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong Failcnt { get; set; }
    [JsonPropertyName("limit"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong Limit { get; set; }
}

public sealed class NetworkStats
{
    [JsonPropertyName("rx_bytes")] public ulong RxBytes { get; set; }
    [JsonPropertyName("rx_packets")] public ulong RxPackets { get; set; }
    [JsonPropertyName("rx_errors")] public ulong RxErrors { get; set; }
    [JsonPropertyName("rx_dropped")] public ulong RxDropped { get; set; }
    [JsonPropertyName("tx_bytes")] public ulong TxBytes { get; set; }
    [JsonPropertyName("tx_packets")] public ulong TxPackets { get; set; }
    [JsonPropertyName("tx_errors")] public ulong TxErrors { get; set; }
    [JsonPropertyName("tx_dropped")] public ulong TxDropped { get; set; }
}
