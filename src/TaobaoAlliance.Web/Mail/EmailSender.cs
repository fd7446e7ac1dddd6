using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Mail;
using TaobaoAlliance.Web.Notifications;

namespace TaobaoAlliance.Web.Mail;

/// <summary>Sends email. The seam a real provider (SMTP, SES, …) plugs into.</summary>
public interface IEmailSender
{
    Task SendAsync(string recipient, string subject, string htmlBody, CancellationToken ct = default);
}

/// <summary>
/// Every email is first a row of the outbox table (the durable record admins read on the outbox page). With
/// <c>Smtp:Host</c> configured <see cref="SmtpDelivery"/> sends the rows; without it (development) they stay there.
/// </summary>
public sealed class OutboxEmailSender(AllianceDbContext db, TimeProvider clock, ILogger<OutboxEmailSender> logger) : IEmailSender
{
    public async Task SendAsync(string recipient, string subject, string htmlBody, CancellationToken ct = default)
    {
        db.OutboxEmails.Add(new OutboxEmail { To = recipient, Subject = subject, HtmlBody = htmlBody, CreatedAt = clock.GetUtcNow() });
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Email to {To}: {Subject} (queued in the outbox)", recipient, subject);
    }
}

public static class MailRegistration
{
    public static void AddMail(this IServiceCollection services)
    {
        services.AddScoped<IEmailSender, OutboxEmailSender>();
        services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<MailDeliveryOptions>().BindConfiguration(MailDeliveryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<NotificationTexts>();
        services.AddScoped<NotificationMailer>();
        services.AddScoped<SmtpDelivery>();
        services.AddHostedService<MailDeliveryService>();
    }
}
