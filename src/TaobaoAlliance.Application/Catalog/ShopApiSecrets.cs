using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Application.Audit;
using TaobaoAlliance.Data;

namespace TaobaoAlliance.Application.Catalog;

/// <summary>A shop's new Orders API secret, to show once; Rotated when it replaced one.</summary>
public sealed record ShopApiSecret(long ShopId, string Secret, bool Rotated);

/// <summary>
/// Orders API secrets of shops: create the first or rotate it, with an audit row. Rotating replaces the
/// stored key, so requests signed with the old one are refused from that moment.
/// </summary>
public sealed class ShopApiSecrets(AllianceDbContext db, AuditTrail audit, ILogger<ShopApiSecrets> logger)
{
    public const string Prefix = "ta_shop_";

    /// <summary>Creates or replaces the secret of a shop the caller has checked the seller owns.</summary>
    public async Task<ShopApiSecret> CreateOrRotateAsync(long shopId, long actorUserId, CancellationToken ct)
    {
        var shop = await db.Shops.SingleAsync(s => s.Id == shopId, ct);
        var rotated = shop.OrdersApiSecret is not null;
        var secret = Generate();
        shop.OrdersApiSecret = secret;
        // The audit row never holds the secret, only that it changed.
        audit.Record(actorUserId, rotated ? "shop.api_secret.rotate" : "shop.api_secret.create", "shop", shop.Id, new { shop.SellerId });
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Orders API secret of shop {ShopId} {Action} by user {UserId}", shop.Id, rotated ? "rotated" : "created", actorUserId);
        return new(shop.Id, secret, rotated);
    }

    /// <summary>32 random bytes, base64url without padding, after a prefix that says what the string is (and helps secret scanners).</summary>
    public static string Generate() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
