using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TaobaoAlliance.Data.Tracking;

namespace TaobaoAlliance.Application.Clicks;

/// <summary>
/// Where a click goes when PostgreSQL cannot take it (a restart, a failover): a local append-only file,
/// one JSON line a click, flushed to disk (fsync) before the shopper is answered — so a redirected click
/// is never lost, even if the process dies next. Like the <see cref="ClickWriter"/>, waiting clicks are
/// written and fsync'd together. <see cref="ClickSpoolReplayer"/> moves them into PostgreSQL once it is back.
/// One process per spool directory (each node of a cluster has its own, <c>Clicks:SpoolDirectory</c>).
/// </summary>
public sealed class ClickSpool(IOptions<ClickOptions> options, ClickMetrics metrics, ILogger<ClickSpool> logger) : BackgroundService
{
    /// <summary>The file being appended to has this suffix; closed files (ready to replay) end in <c>.jsonl</c>.</summary>
    public const string OpenSuffix = ".open";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Channel<(Click Click, TaskCompletionSource Written)> queue =
        Channel.CreateUnbounded<(Click, TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock fileLock = new();
    private FileStream? file;
    private string? fileName;

    public string Directory { get; } = ResolveDirectory(options.Value.SpoolDirectory);

    /// <summary>Completes once the click is on disk.</summary>
    public Task AppendAsync(Click click)
    {
        ArgumentNullException.ThrowIfNull(click);
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return queue.Writer.TryWrite((click, written)) ? written.Task : Task.FromException(new InvalidOperationException("The click spool has stopped"));
    }

    /// <summary>Closes the file being appended to (if any), so everything spooled so far can be replayed.</summary>
    public void Rotate()
    {
        lock (fileLock)
        {
            if (file is null) return;
            file.Dispose();
            File.Move(fileName!, Path.ChangeExtension(fileName!, ".jsonl"));
            file = null;
            fileName = null;
        }
    }

    /// <summary>Closed spool files, oldest first (names start with the time they were opened).</summary>
    public IReadOnlyList<string> ClosedFiles() =>
        System.IO.Directory.Exists(Directory) ? [.. System.IO.Directory.GetFiles(Directory, "*.jsonl").Order(StringComparer.Ordinal)] : [];

    /// <summary>True when some clicks wait in the spool (open or closed files).</summary>
    public bool HasPending =>
        System.IO.Directory.Exists(Directory) && System.IO.Directory.EnumerateFiles(Directory).Any(f => f.EndsWith(".jsonl", StringComparison.Ordinal) || f.EndsWith(OpenSuffix, StringComparison.Ordinal));

    public static Click? Parse(string line)
    {
        try
        {
            return JsonSerializer.Deserialize<Click>(line, Json);
        }
        catch (JsonException)
        {
            return null; // a line torn by a crash mid-write: its shopper was never answered
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<(Click Click, TaskCompletionSource Written)>();
        while (await queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < ClickWriter.MaxBatchSize && queue.Reader.TryRead(out var pending)) batch.Add(pending);
            try
            {
                WriteAndFlush(batch.Select(p => p.Click));
                metrics.Spooled(batch.Count);
                foreach (var pending in batch) pending.Written.TrySetResult();
            }
#pragma warning disable CA1031 // A spool that cannot write must fail its waiters, not stop the loop.
            catch (Exception e)
#pragma warning restore CA1031
            {
                logger.LogCritical(e, "Could not spool {Count} clicks to {Directory}", batch.Count, Directory);
                foreach (var pending in batch) pending.Written.TrySetException(e);
            }
            batch.Clear();
        }
    }

    /// <summary>A file left open by a process that died is complete up to its last whole line: replay it too.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (System.IO.Directory.Exists(Directory))
        {
            foreach (var left in System.IO.Directory.GetFiles(Directory, "*" + OpenSuffix)) File.Move(left, Path.ChangeExtension(left, ".jsonl"));
        }
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
        Rotate();
    }

    private void WriteAndFlush(IEnumerable<Click> clicks)
    {
        lock (fileLock)
        {
            if (file is null)
            {
                System.IO.Directory.CreateDirectory(Directory);
                fileName = Path.Combine(Directory, FormattableString.Invariant($"{DateTime.UtcNow:yyyyMMddHHmmssfff}-{Environment.ProcessId}-{Guid.NewGuid():N}{OpenSuffix}"));
                file = new FileStream(fileName, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
                logger.LogWarning("PostgreSQL cannot take clicks: spooling them to {File}", fileName);
            }
            foreach (var click in clicks)
            {
                JsonSerializer.Serialize(file, click, Json);
                file.WriteByte((byte)'\n');
            }
            file.Flush(flushToDisk: true);
        }
    }

    private static string ResolveDirectory(string configured) =>
        !string.IsNullOrWhiteSpace(configured) ? Path.GetFullPath(configured)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "TaobaoAlliance", "click-spool");
}
