using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Mail;
using TaobaoAlliance.Data.Notifications;
using TaobaoAlliance.Web.Hosting;

namespace TaobaoAlliance.Web.Notifications;

/// <summary>
/// Writes waiting notifications into the email outbox, each in its recipient's stored language, unless the recipient
/// turned that kind's email off (or has no usable address): claimed with <c>FOR UPDATE SKIP LOCKED</c>, and the outbox row
/// and the notification's new state commit together, so a notification is mailed once.
/// </summary>
public sealed class NotificationMailer(AllianceDbContext db, NotificationTexts texts, IStringLocalizer<NotificationResource> localizer,
    IOptions<PublicSiteOptions> site, TimeProvider clock, ILogger<NotificationMailer> logger)
{
    private const int BatchSize = 100;

    /// <summary>Chinese stays characters (HTML-sensitive characters are still encoded).</summary>
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>Handles one batch; the number of notifications it looked at (0: none waited).</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var pending = await db.Notifications.FromSql($"""
            SELECT * FROM notifications WHERE email_state = 'Pending' ORDER BY id LIMIT {BatchSize} FOR UPDATE SKIP LOCKED
            """).ToListAsync(ct);
        if (pending.Count == 0) return 0;

        var userIds = pending.Select(n => n.UserId).Distinct().ToArray();
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id))
            .Select(u => new { u.Id, u.Email, u.EmailConfirmed, u.Language, u.DisabledAt }).ToDictionaryAsync(u => u.Id, ct);
        var off = (await db.NotificationPreferences.AsNoTracking().Where(p => userIds.Contains(p.UserId) && !p.Email)
            .Select(p => new { p.UserId, p.Kind }).ToListAsync(ct)).Select(p => (p.UserId, p.Kind)).ToHashSet();
        var now = clock.GetUtcNow();
        var queued = new List<(Notification Notification, OutboxEmail Email)>();
        foreach (var notification in pending)
        {
            if (users.GetValueOrDefault(notification.UserId) is not { Email: { Length: > 0 } address, DisabledAt: null } user
                || off.Contains((notification.UserId, notification.Kind)))
            {
                notification.EmailState = NotificationEmailState.Skipped;
                continue;
            }
            var culture = NotificationTexts.CultureOf(user.Language);
            var text = texts.Render(notification.Kind, notification.Arguments, culture);
            var email = new OutboxEmail { To = address, Subject = text.Title, HtmlBody = Body(text, culture), CreatedAt = now };
            db.OutboxEmails.Add(email);
            queued.Add((notification, email));
        }
        await db.SaveChangesAsync(ct);
        foreach (var (notification, email) in queued)
        {
            notification.EmailState = NotificationEmailState.Queued;
            notification.OutboxEmailId = email.Id;
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        logger.LogInformation("Notifications mailed: {Queued} into the outbox, {Skipped} without email", queued.Count, pending.Count - queued.Count);
        return pending.Count;
    }

    private string Body(NotificationText text, System.Globalization.CultureInfo culture)
    {
        var (ui, formats) = (System.Globalization.CultureInfo.CurrentUICulture, System.Globalization.CultureInfo.CurrentCulture);
        System.Globalization.CultureInfo.CurrentUICulture = culture;
        System.Globalization.CultureInfo.CurrentCulture = culture;
        try
        {
            var html = Html;
            var link = site.Value.Absolute(text.Link);
            var preferences = site.Value.Absolute("/Notifications/Preferences");
            return $"<p>{html.Encode(text.Body)}</p>"
                + $"<p><a href=\"{html.Encode(link)}\">{html.Encode(localizer["Open TaobaoAlliance"])}</a></p>"
                + $"<p style=\"color:#666;font-size:small\">{html.Encode(localizer["You can turn these emails off in your notification preferences:"])} "
                + $"<a href=\"{html.Encode(preferences)}\">{html.Encode(preferences)}</a></p>";
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentUICulture = ui;
            System.Globalization.CultureInfo.CurrentCulture = formats;
        }
    }
}
