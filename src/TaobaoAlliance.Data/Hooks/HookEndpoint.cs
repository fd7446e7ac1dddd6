using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TaobaoAlliance.Data.Catalog;
using TaobaoAlliance.Data.Sites;

namespace TaobaoAlliance.Data.Hooks;

/// <summary>A webmaster's postback (per site) or a seller's webhook (per shop).</summary>
public enum HookKind { Postback, Webhook }

/// <summary>
/// Where a site's postbacks or a shop's webhooks go: the URL (for a postback, a template with macros), the secret
/// that signs them, and (webhooks) the events chosen. One per site, one per shop.
/// </summary>
public sealed class HookEndpoint
{
    public long Id { get; set; }
    public HookKind Kind { get; set; }
    public long? SiteId { get; set; }
    public long? ShopId { get; set; }

    /// <summary>The address; a postback's may hold macros such as <c>{click_id}</c>, filled (URL-encoded) per message.</summary>
    public string Url { get; set; } = "";

    /// <summary>
    /// The signing secret, stored as it is: the sender must read it to sign, and the data-protection keys that
    /// could encrypt it live in the same database (as the Orders API secret, which is stored the same way).
    /// Null until the owner creates one; then messages are signed with it.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>The events sent (webhooks: the seller's choice; postbacks: every commission event).</summary>
    public List<string> Events { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? SecretCreatedAt { get; set; }
}

internal sealed class HookEndpointConfiguration : IEntityTypeConfiguration<HookEndpoint>
{
    public void Configure(EntityTypeBuilder<HookEndpoint> b)
    {
        b.Property(e => e.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(e => e.Url).HasMaxLength(2000);
        b.Property(e => e.Secret).HasMaxLength(100);
        b.Property(e => e.Events).HasColumnType("text[]");
        b.HasIndex(e => e.SiteId).IsUnique().HasFilter("site_id IS NOT NULL");
        b.HasIndex(e => e.ShopId).IsUnique().HasFilter("shop_id IS NOT NULL");
        b.HasOne<Site>().WithMany().HasForeignKey(e => e.SiteId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Shop>().WithMany().HasForeignKey(e => e.ShopId).OnDelete(DeleteBehavior.Cascade);
        b.ToTable(t => t.HasCheckConstraint("ck_hook_endpoints_owner",
            "(kind = 'Postback' AND site_id IS NOT NULL AND shop_id IS NULL) OR (kind = 'Webhook' AND shop_id IS NOT NULL AND site_id IS NULL)"));
    }
}
