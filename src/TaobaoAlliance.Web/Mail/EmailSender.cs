using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Mail;

namespace TaobaoAlliance.Web.Mail;

/// <summary>Sends email. The seam a real provider (SMTP, SES, …) plugs into.</summary>
public interface IEmailSender
{
    Task SendAsync(string recipient, string subject, string htmlBody, CancellationToken ct = default);
}

/// <summary>
/// The development sender: nothing leaves the machine; the message goes to the log and to the outbox
/// table, which admins read on the outbox page.
/// </summary>
public sealed class OutboxEmailSender(AllianceDbContext db, TimeProvider clock, ILogger<OutboxEmailSender> logger) : IEmailSender
{
    public async Task SendAsync(string recipient, string subject, string htmlBody, CancellationToken ct = default)
    {
        db.OutboxEmails.Add(new OutboxEmail { To = recipient, Subject = subject, HtmlBody = htmlBody, CreatedAt = clock.GetUtcNow() });
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Email to {To}: {Subject} (kept in the outbox, not sent)", recipient, subject);
    }
}

public static class MailRegistration
{
    public static void AddMail(this IServiceCollection services) => services.AddScoped<IEmailSender, OutboxEmailSender>();
}
