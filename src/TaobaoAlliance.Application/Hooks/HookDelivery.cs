using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Polly.Timeout;
using TaobaoAlliance.Application.Sites;
using TaobaoAlliance.Attribution.Hooks;
using TaobaoAlliance.Data;

namespace TaobaoAlliance.Application.Hooks;

/// <summary>What one round of the sender did.</summary>
public sealed record DeliveryRound(int Tried, int Delivered, int Failed, int GaveUp);

/// <summary>
/// Sends due postbacks and webhooks. Any number of nodes may run it: a round claims due rows with
/// <c>FOR UPDATE SKIP LOCKED</c> and moves their next try a lease ahead in the same statement, so two senders never
/// take one message, and a sender that dies mid-try leaves it to be tried again when the lease runs out. The schedule
/// (exponential backoff with jitter, given up a day after the message was written) is in the table: a restart
/// loses nothing. The HTTP client (<see cref="ClientName"/>) has a short timeout (Microsoft.Extensions.Http.Resilience)
/// and refuses internal addresses at connect time, after DNS, by the site verification's rules.
/// </summary>
public sealed class HookDelivery(
    IServiceScopeFactory scopes,
    IHttpClientFactory clients,
    TimeProvider clock,
    IOptionsMonitor<HookOptions> options,
    ILogger<HookDelivery> logger) : BackgroundService
{
    public const string ClientName = "hooks";

    /// <summary>Tells a receiver which event and which message (the same id on every try, so it can ignore a repeat).</summary>
    public const string EventHeader = "X-Alliance-Event";
    public const string DeliveryHeader = "X-Alliance-Delivery";

    private sealed record Claimed(long Id, string Url, string Body, string Event, int Attempts, DateTimeOffset ExpiresAt, string? Secret);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.CurrentValue.DeliveryEnabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            var busy = false;
            try
            {
                busy = (await RunOnceAsync(stoppingToken)).Tried > 0;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "A postback/webhook round failed; trying again shortly");
            }
            // Wall-clock wait: how often to look is not part of the schedule, which is read from the table by the clock.
            if (!busy) await Task.Delay(options.CurrentValue.PollMilliseconds, stoppingToken);
        }
    }

    /// <summary>Claims due messages, sends them concurrently and records each result.</summary>
    public async Task<DeliveryRound> RunOnceAsync(CancellationToken ct)
    {
        var o = options.CurrentValue;
        var now = clock.GetUtcNow();
        var lease = now.AddSeconds(o.LeaseSeconds);
        List<Claimed> claimed;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AllianceDbContext>();
            claimed = await db.Database.SqlQuery<Claimed>($"""
                UPDATE hook_messages m SET attempts = m.attempts + 1, next_attempt_at = {lease}, last_attempt_at = {now}
                FROM (SELECT id FROM hook_messages WHERE state = 'Pending' AND next_attempt_at <= {now}
                      ORDER BY next_attempt_at, id LIMIT {o.BatchSize} FOR UPDATE SKIP LOCKED) due, hook_endpoints e
                WHERE m.id = due.id AND e.id = m.endpoint_id
                RETURNING m.id, m.url, m.body, m.event, m.attempts, m.expires_at, e.secret
                """).ToListAsync(ct);
        }
        if (claimed.Count == 0) return new(0, 0, 0, 0);
        var results = await Task.WhenAll(claimed.Select(m => SendAsync(m, ct)));
        int delivered = 0, failed = 0, gaveUp = 0;
        var retry = new HookRetry(TimeSpan.FromSeconds(o.FirstRetrySeconds), TimeSpan.FromMinutes(o.LongestRetryMinutes));
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AllianceDbContext>();
            var done = clock.GetUtcNow();
            foreach (var (message, (status, error)) in claimed.Zip(results))
            {
                string state;
                DateTimeOffset next = done;
                if (error is null)
                {
                    state = "Delivered";
                    delivered++;
                }
                else if (retry.Next(done, message.Attempts, Random.Shared.NextDouble(), message.ExpiresAt) is { } at)
                {
                    state = "Pending";
                    next = at;
                    failed++;
                }
                else
                {
                    state = "GaveUp";
                    gaveUp++;
                }
                DateTimeOffset? deliveredAt = error is null ? done : null;
                var shortError = error is { Length: > 500 } ? error[..500] : error;
                // Only this claim's result: "send again" in the meantime reset the attempts, and wins.
                await db.Database.ExecuteSqlAsync($"""
                    UPDATE hook_messages SET state = {state}, next_attempt_at = {next}, last_status = {status}, last_error = {shortError},
                           delivered_at = COALESCE({deliveredAt}, delivered_at)
                    WHERE id = {message.Id} AND attempts = {message.Attempts} AND state = 'Pending'
                    """, ct);
                if (error is not null)
                {
                    logger.LogInformation("Hook message {MessageId} ({Event}) try {Attempt} failed: {Error}; now {State}",
                        message.Id, message.Event, message.Attempts, error, state);
                }
            }
        }
        return new(claimed.Count, delivered, failed, gaveUp);
    }

    /// <summary>One try: the status code (if any answer came) and an error, null when the receiver took it (2xx).</summary>
    private async Task<(int? Status, string? Error)> SendAsync(Claimed message, CancellationToken ct)
    {
        if (message.Secret is null) return (null, "No secret is set for this endpoint.");
        var body = Encoding.UTF8.GetBytes(message.Body);
        using var request = new HttpRequestMessage(HttpMethod.Post, message.Url)
        {
            Content = new ByteArrayContent(body) { Headers = { { "Content-Type", "application/json; charset=utf-8" } } },
        };
        request.Headers.Add(HookSignature.Header, HookSignature.Sign(body, message.Secret, clock.GetUtcNow()));
        request.Headers.Add(EventHeader, message.Event);
        request.Headers.Add(DeliveryHeader, message.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            using var client = clients.CreateClient(ClientName);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode ? (status, null) : (status, $"HTTP {status}");
        }
        catch (HttpRequestException e) when (e.InnerException is InternalAddressException blocked)
        {
            return (null, blocked.Message);
        }
        catch (HttpRequestException)
        {
            return (null, "The receiver could not be reached.");
        }
        catch (Exception e) when (e is TimeoutRejectedException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return (null, "The receiver did not answer in time.");
        }
    }

    /// <summary>
    /// The primary handler of <see cref="ClientName"/>: no redirects, no proxy (it would connect for us, past the check),
    /// no cookies; every connection checked after DNS with <see cref="SiteFetcher.IsPublic"/> unless
    /// <c>SiteFetch:AllowPrivateAddresses</c> (development, tests) allows internal ones.
    /// </summary>
    public static SocketsHttpHandler Handler(bool allowPrivateAddresses, TimeSpan connectTimeout) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        ConnectTimeout = connectTimeout,
        ConnectCallback = async (context, ct) =>
        {
            var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, ct);
            var allowed = addresses.Where(a => allowPrivateAddresses || SiteFetcher.IsPublic(a)).ToArray();
            if (allowed.Length == 0)
            {
                throw new InternalAddressException($"{context.DnsEndPoint.Host} resolves to an internal address: nothing was sent.");
            }
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    private sealed class InternalAddressException(string message) : Exception(message);
}
