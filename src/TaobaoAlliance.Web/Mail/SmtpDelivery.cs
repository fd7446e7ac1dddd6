using System.ComponentModel.DataAnnotations;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Mail;
using TaobaoAlliance.Web.Notifications;

namespace TaobaoAlliance.Web.Mail;

/// <summary>The SMTP server the outbox is delivered to (section <c>Smtp</c>). No <see cref="Host"/>: nothing is sent (development).</summary>
public sealed class SmtpOptions
{
    public const string Section = "Smtp";

    public string? Host { get; set; }
    [Range(1, 65535)] public int Port { get; set; } = 587;

    /// <summary>Auto: STARTTLS when the server offers it; also None, StartTls (required), SslOnConnect (port 465).</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.Auto;

    /// <summary>Empty: no authentication.</summary>
    public string? UserName { get; set; }
    public string? Password { get; set; }

    [Required] public string From { get; set; } = "TaobaoAlliance <noreply@localhost>";
    [Range(1, 600)] public int TimeoutSeconds { get; set; } = 30;

    public bool Configured => !string.IsNullOrWhiteSpace(Host);
}

/// <summary>How the background mail work runs (section <c>Mail</c>).</summary>
public sealed class MailDeliveryOptions
{
    public const string Section = "Mail";

    /// <summary>Off in tests, which run the steps themselves.</summary>
    public bool BackgroundEnabled { get; set; } = true;
    [Range(1, 3600)] public int PollSeconds { get; set; } = 5;

    /// <summary>A message the server refused this many times is left in the outbox, unsent, with its last error.</summary>
    [Range(1, 100)] public int MaxAttempts { get; set; } = 10;

    /// <summary>Older unsent messages are not tried any more (a day-old reset link is no use; switching SMTP on sends no backlog).</summary>
    [Range(1, 24 * 30)] public int MaxAgeHours { get; set; } = 24;
}

/// <summary>
/// Delivers outbox rows to the configured SMTP server. Rows are claimed with <c>FOR UPDATE SKIP LOCKED</c> (one node
/// sends each), and a row is marked sent only after the server accepted it; a failure counts an attempt and waits,
/// doubling from a minute up to an hour, before the next. A crash between acceptance and commit sends a row again:
/// at least once, never lost.
/// </summary>
public sealed class SmtpDelivery(AllianceDbContext db, IOptions<SmtpOptions> smtp, IOptions<MailDeliveryOptions> delivery,
    TimeProvider clock, ILogger<SmtpDelivery> logger)
{
    private const int BatchSize = 20;

    /// <summary>Sends what is due; the number the server accepted. Nothing when no server is configured.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct = default)
    {
        var o = smtp.Value;
        if (!o.Configured) return 0;
        var now = clock.GetUtcNow();
        var oldest = now.AddHours(-delivery.Value.MaxAgeHours);
        var maxAttempts = delivery.Value.MaxAttempts;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var due = await db.OutboxEmails.FromSql($"""
            SELECT * FROM outbox_emails
            WHERE sent_at IS NULL AND attempts < {maxAttempts} AND created_at >= {oldest} AND (next_attempt_at IS NULL OR next_attempt_at <= {now})
            ORDER BY id LIMIT {BatchSize} FOR UPDATE SKIP LOCKED
            """).ToListAsync(ct);
        if (due.Count == 0) return 0;

        var sent = 0;
        using var client = new SmtpClient { Timeout = o.TimeoutSeconds * 1000 };
        try
        {
            await client.ConnectAsync(o.Host!, o.Port, o.Security, ct);
            if (!string.IsNullOrEmpty(o.UserName)) await client.AuthenticateAsync(o.UserName, o.Password ?? "", ct);
        }
        catch (Exception e) when (IsDeliveryFailure(e))
        {
            logger.LogWarning(e, "Could not reach the SMTP server {Host}:{Port}; {Count} emails wait", o.Host, o.Port, due.Count);
            foreach (var email in due) Failed(email, e, now);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return 0;
        }
        foreach (var email in due)
        {
            try
            {
                await client.SendAsync(Message(o, email), ct);
                email.SentAt = clock.GetUtcNow();
                email.Attempts++;
                email.LastError = null;
                sent++;
            }
            catch (Exception e) when (IsDeliveryFailure(e))
            {
                logger.LogWarning(e, "The SMTP server did not take email {EmailId} to {To}", email.Id, email.To);
                Failed(email, e, now);
                if (!client.IsConnected) break;
            }
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        if (client.IsConnected) await client.DisconnectAsync(quit: true, CancellationToken.None);
        logger.LogInformation("Sent {Sent} of {Count} outbox emails through {Host}", sent, due.Count, o.Host);
        return sent;
    }

    private static MimeMessage Message(SmtpOptions o, OutboxEmail email)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(o.From));
        message.To.Add(MailboxAddress.Parse(email.To));
        message.Subject = email.Subject;
        message.Body = new BodyBuilder { HtmlBody = email.HtmlBody }.ToMessageBody();
        return message;
    }

    private static void Failed(OutboxEmail email, Exception e, DateTimeOffset now)
    {
        email.Attempts++;
        email.LastError = e.Message.Length > 1000 ? e.Message[..1000] : e.Message;
        email.NextAttemptAt = now + TimeSpan.FromMinutes(Math.Min(60, 1 << Math.Min(email.Attempts - 1, 6)));
    }

    private static bool IsDeliveryFailure(Exception e) =>
        e is SmtpCommandException or SmtpProtocolException or AuthenticationException or SslHandshakeException
            or IOException or System.Net.Sockets.SocketException or TimeoutException or ParseException
            or OperationCanceledException { CancellationToken.IsCancellationRequested: false };
}

/// <summary>
/// The background mail work, every few seconds on every node (rows are claimed, so nodes share it): notifications into the
/// outbox in each recipient's language, then the outbox to the SMTP server when one is configured.
/// </summary>
public sealed class MailDeliveryService(IServiceScopeFactory scopes, IOptions<MailDeliveryOptions> options, TimeProvider clock,
    ILogger<MailDeliveryService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.BackgroundEnabled) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.PollSeconds), clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                while (await scope.ServiceProvider.GetRequiredService<NotificationMailer>().RunOnceAsync(stoppingToken) > 0)
                {
                }
                await using var sendScope = scopes.CreateAsyncScope();
                await sendScope.ServiceProvider.GetRequiredService<SmtpDelivery>().RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "The mail run failed; it runs again shortly");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
