using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace TaobaoAlliance.Bench;

/// <summary>One wrk run: where, how many connections, how long, and the arguments of bench/wrk/scenario.lua.</summary>
internal sealed record WrkSpec(string Url, int Connections, double Seconds, IReadOnlyList<string> ScriptArgs, IReadOnlyList<string> Headers);

/// <summary>What bench/wrk/scenario.lua printed on its BENCH line (latencies in µs as wrk keeps them).</summary>
internal sealed record WrkResult(
    long Requests, double Seconds, long Bytes, double P50Ms, double P90Ms, double P95Ms, double P99Ms, double MaxMs,
    long SocketErrors, long Timeouts, IReadOnlyDictionary<int, long> Statuses, bool RanOut)
{
    public double RequestsPerSecond => Seconds > 0 ? Requests / Seconds : 0;

    public long Status(int code) => Statuses.TryGetValue(code, out var n) ? n : 0;

    /// <summary>Answers other than <paramref name="expected"/>, and sockets that failed or timed out.</summary>
    public long Unexpected(int expected) => Requests - Status(expected) + SocketErrors + Timeouts;
}

/// <summary>Runs wrk (one thread: the app and PostgreSQL need the other core far more) and reads its BENCH line.</summary>
internal static class Wrk
{
    public const string ChromeUserAgent =
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36";

    public static async Task<WrkResult> RunAsync(WrkSpec spec, string script, TextWriter log)
    {
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-t1", $"-c{spec.Connections}", string.Create(CultureInfo.InvariantCulture, $"-d{spec.Seconds}s"), "--latency", "--timeout", "10s" })
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var header in new[] { "User-Agent: " + ChromeUserAgent, "Accept: text/html,application/xhtml+xml,*/*;q=0.8" }.Concat(spec.Headers))
        {
            start.ArgumentList.Add("-H");
            start.ArgumentList.Add(header);
        }
        start.ArgumentList.Add("-s");
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(spec.Url);
        if (spec.ScriptArgs.Count > 0)
        {
            start.ArgumentList.Add("--");
            foreach (var arg in spec.ScriptArgs) start.ArgumentList.Add(arg);
        }

        using var wrk = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start");
        var stdout = wrk.StandardOutput.ReadToEndAsync();
        var stderr = wrk.StandardError.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        var output = await stdout;
        await log.WriteLineAsync($"$ wrk {string.Join(' ', start.ArgumentList)}\n{output}{await stderr}");
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("BENCH ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"wrk printed no BENCH line (exit {wrk.ExitCode}): {await stderr}");
        return Parse(line["BENCH ".Length..]);
    }

    private static WrkResult Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        long Long(string name) => root.GetProperty(name).GetInt64();
        double Ms(string name) => root.GetProperty(name).GetDouble() / 1000.0;
        var errors = root.GetProperty("errors");
        var statuses = root.GetProperty("statuses").EnumerateObject()
            .ToDictionary(p => int.Parse(p.Name, CultureInfo.InvariantCulture), p => p.Value.GetInt64());
        return new WrkResult(
            Long("requests"), Long("duration_us") / 1e6, Long("bytes"),
            Ms("p50_us"), Ms("p90_us"), Ms("p95_us"), Ms("p99_us"), Ms("max_us"),
            errors.GetProperty("connect").GetInt64() + errors.GetProperty("read").GetInt64() + errors.GetProperty("write").GetInt64(),
            errors.GetProperty("timeout").GetInt64(), statuses, root.GetProperty("ran_out").GetBoolean());
    }
}
