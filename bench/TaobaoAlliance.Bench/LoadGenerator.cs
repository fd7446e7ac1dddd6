using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace TaobaoAlliance.Bench;

/// <summary>One load scenario: what to request, how many workers, for how long, and what a good answer is.</summary>
internal sealed record LoadSpec(
    string Name,
    string PathLabel,
    int Concurrency,
    TimeSpan Warmup,
    TimeSpan Duration,
    HttpStatusCode Expected,
    Func<string?> NextPath,
    bool CollectTokens = false);

/// <summary>What a scenario measured. Latencies are of the measured phase only; <see cref="ExpectedTotal"/> counts the warm-up too.</summary>
internal sealed record LoadResult(
    LoadSpec Spec,
    double Seconds,
    long Requests,
    double RequestsPerSecond,
    double P50Ms,
    double P95Ms,
    double P99Ms,
    double MaxMs,
    long Errors,
    long ExpectedTotal,
    long AllTotal,
    IReadOnlyDictionary<int, long> Statuses,
    bool RanOut,
    IReadOnlyList<string> Tokens,
    long ResponsesWithoutAd);

/// <summary>
/// A closed-loop load generator: N workers, each with its own connection, send one request after another
/// for the warm-up and then for the measured duration. Each visitor comes without cookies, with a Chrome
/// User-Agent, and from its own loopback address (127.x.y.z, see <see cref="Visitors"/>) for
/// <see cref="VisitsPerAddress"/> requests, so the per-IP click limit sees shoppers, not one flooding client.
/// </summary>
internal static partial class LoadGenerator
{
    /// <summary>Exactly the default Alliance:MaxClicksPerMinutePerIpPerSite: every click of the run is a valid one.</summary>
    public const int VisitsPerAddress = 10;

    public const string ChromeUserAgent =
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36";

    private const int MaxRecorded = 4_000_000;

    [GeneratedRegex("href=\"/z/click/([A-Za-z0-9_-]+)\"")]
    private static partial Regex TokenPattern();

    public static async Task<LoadResult> RunAsync(Uri app, LoadSpec spec, Visitors visitors)
    {
        var latencies = new long[MaxRecorded]; // preallocated: the measured loop allocates nothing for bookkeeping
        var recorded = 0L;
        var statuses = new long[600];
        var errors = 0L;
        var expectedTotal = 0L;
        var allTotal = 0L;
        var withoutAd = 0L;
        var ranOut = 0;
        var tokens = new ConcurrentQueue<string>();

        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(spec.Warmup.TotalSeconds * Stopwatch.Frequency);
        var measureUntil = measureFrom + (long)(spec.Duration.TotalSeconds * Stopwatch.Frequency);

        async Task WorkerAsync()
        {
            using var handler = visitors.NewHandler();
            using var client = new HttpClient(handler) { BaseAddress = app, Timeout = TimeSpan.FromSeconds(30) };
            var onThisAddress = 0;
            while (true)
            {
                var began = Stopwatch.GetTimestamp();
                if (began >= measureUntil) return;
                var path = spec.NextPath();
                if (path is null)
                {
                    Interlocked.Exchange(ref ranOut, 1);
                    return;
                }
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
                request.Headers.TryAddWithoutValidation("User-Agent", ChromeUserAgent);
                request.Headers.TryAddWithoutValidation("Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
                // The last visit from this address closes the connection; the next one connects from a new address.
                if (++onThisAddress == VisitsPerAddress)
                {
                    request.Headers.ConnectionClose = true;
                    onThisAddress = 0;
                }
                var measured = began >= measureFrom;
                try
                {
                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                    var body = spec.CollectTokens ? await response.Content.ReadAsStringAsync() : null;
                    var ended = Stopwatch.GetTimestamp();
                    Interlocked.Increment(ref allTotal);
                    var code = (int)response.StatusCode;
                    if (code is >= 0 and < 600) Interlocked.Increment(ref statuses[code]);
                    if (response.StatusCode == spec.Expected) Interlocked.Increment(ref expectedTotal);
                    else if (measured) Interlocked.Increment(ref errors);
                    if (body is not null)
                    {
                        var match = TokenPattern().Match(body);
                        if (match.Success) tokens.Enqueue(match.Groups[1].Value);
                        else Interlocked.Increment(ref withoutAd);
                    }
                    if (measured)
                    {
                        var slot = Interlocked.Increment(ref recorded) - 1;
                        if (slot < latencies.Length) latencies[slot] = ended - began;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    Interlocked.Increment(ref allTotal);
                    if (measured) Interlocked.Increment(ref errors);
                    onThisAddress = 0; // the connection is gone: the next request comes from a new address
                }
            }
        }

        var workers = Enumerable.Range(0, spec.Concurrency).Select(_ => Task.Run(WorkerAsync)).ToArray();
        await Task.WhenAll(workers);
        var finished = Stopwatch.GetTimestamp();

        var count = (int)Math.Min(recorded, latencies.Length);
        var sample = latencies.AsSpan(0, count);
        sample.Sort();
        // Ran out of tokens early: the measured window is as long as it really was.
        var seconds = Math.Max(1e-9, (Math.Min(finished, measureUntil) - measureFrom) / (double)Stopwatch.Frequency);
        var byStatus = new SortedDictionary<int, long>();
        for (var code = 0; code < statuses.Length; code++) if (statuses[code] > 0) byStatus[code] = statuses[code];
        return new LoadResult(spec, seconds, recorded, recorded / seconds,
            Percentile(sample, 0.50), Percentile(sample, 0.95), Percentile(sample, 0.99), count == 0 ? 0 : ToMs(sample[^1]),
            errors, expectedTotal, allTotal, byStatus, ranOut == 1, [.. tokens], withoutAd);
    }

    private static double Percentile(Span<long> sorted, double p) =>
        sorted.Length == 0 ? 0 : ToMs(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)]);

    private static double ToMs(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}

/// <summary>
/// Hands out loopback source addresses, one per connection: 127.{block}.0.1, 127.{block}.0.2, …
/// Linux routes all of 127.0.0.0/8 to lo, so a socket bound to any of them reaches the app on 127.0.0.1,
/// and the app sees a different client IP for each visitor. Each scenario gets its own block, so no
/// address is reused within the rate limit's minute.
/// </summary>
internal sealed class Visitors(int block)
{
    private int next;

    public int AddressesUsed => next;

    public SocketsHttpHandler NewHandler() => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.None,
        MaxConnectionsPerServer = 1,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        ConnectCallback = ConnectAsync,
    };

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var n = Interlocked.Increment(ref next);
        var source = new IPAddress([127, (byte)(block + (n >> 16)), (byte)(n >> 8), (byte)n]);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(IPAddress.Parse(context.DnsEndPoint.Host), context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
