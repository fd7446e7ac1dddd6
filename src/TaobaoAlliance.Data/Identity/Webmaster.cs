using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace TaobaoAlliance.Data.Identity;

/// <summary>A publisher: owns sites, zones and links, and earns commission.</summary>
public sealed class Webmaster
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public AllianceUser User { get; set; } = null!;

    /// <summary>SHA-256 of the API key (hex). The key itself is shown once and never stored.</summary>
    public string? ApiKeyHash { get; set; }

    /// <summary>First characters of the key, so the owner can tell which key is active.</summary>
    public string? ApiKeyPrefix { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class WebmasterConfiguration : IEntityTypeConfiguration<Webmaster>
{
    public void Configure(EntityTypeBuilder<Webmaster> b)
    {
        b.HasIndex(w => w.UserId).IsUnique();
        b.HasIndex(w => w.ApiKeyHash).IsUnique();
        b.Property(w => w.ApiKeyHash).HasMaxLength(64);
        b.Property(w => w.ApiKeyPrefix).HasMaxLength(12);
        b.HasOne(w => w.User).WithOne().HasForeignKey<Webmaster>(w => w.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>An advertiser: owns shops, funds a wallet, pays commission and CPC.</summary>
public sealed class Seller
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public AllianceUser User { get; set; } = null!;
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class SellerConfiguration : IEntityTypeConfiguration<Seller>
{
    public void Configure(EntityTypeBuilder<Seller> b)
    {
        b.HasIndex(s => s.UserId).IsUnique();
        b.HasOne(s => s.User).WithOne().HasForeignKey<Seller>(s => s.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}
