using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace TaobaoAlliance.Data.Mail;

/// <summary>
/// An email the platform sent (password reset, notices). In development the sender only writes here
/// and to the log; admins read the outbox page.
/// </summary>
public sealed class OutboxEmail
{
    public long Id { get; set; }
    public string To { get; set; } = "";
    public string Subject { get; set; } = "";
    public string HtmlBody { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class OutboxEmailConfiguration : IEntityTypeConfiguration<OutboxEmail>
{
    public void Configure(EntityTypeBuilder<OutboxEmail> b)
    {
        b.Property(e => e.To).HasMaxLength(256);
        b.Property(e => e.Subject).HasMaxLength(300);
        b.HasIndex(e => e.CreatedAt);
        b.HasIndex(e => e.To);
    }
}
