using Microsoft.EntityFrameworkCore;
using Npgsql;
using TaobaoAlliance.Application.Audit;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Catalog;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Catalog;

namespace TaobaoAlliance.Application.Catalog;

/// <summary>A shop's fields as the seller typed them (the slug only on creation); the rate already checked by the form.</summary>
public sealed record ShopRequest(long SellerId, long ActorUserId, string NameZh, string NameEn, string? Description, Rate GeneralRate, string? Slug = null);

/// <summary>Why a new shop was not created; nothing was written.</summary>
public enum ShopRefusal { SlugInvalid, SlugTaken }

/// <summary>Why a store host was not registered; nothing was written.</summary>
public enum StoreHostRefusal { None, Invalid, Taken }

/// <summary>The shop created, or why not.</summary>
public sealed record ShopOutcome(Shop? Shop, ShopRefusal? Refusal)
{
    public bool Succeeded => Refusal is null;
}

/// <summary>
/// Creates shops and saves their profiles. Every change of the general rate, and the first one, writes a
/// line of rate history with the change (<see cref="CatalogRules.RateChange"/>).
/// </summary>
public sealed class ShopEditor(AllianceDbContext db, AuditTrail audit, TimeProvider clock, ILogger<ShopEditor> logger)
{
    public async Task<ShopOutcome> CreateAsync(ShopRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var slug = request.Slug?.Trim() ?? "";
        if (!CatalogRules.IsValidSlug(slug)) return new(null, ShopRefusal.SlugInvalid);
        if (await db.Shops.AnyAsync(s => s.Slug == slug, ct)) return new(null, ShopRefusal.SlugTaken);

        var now = clock.GetUtcNow();
        var shop = new Shop
        {
            SellerId = request.SellerId,
            Slug = slug,
            NameZh = request.NameZh.Trim(),
            NameEn = request.NameEn.Trim(),
            Description = request.Description?.Trim() ?? "",
            GeneralRateBp = request.GeneralRate.BasisPoints,
            CreatedAt = now,
        };
        db.Shops.Add(shop);
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.SaveChangesAsync(ct);
            db.CommissionRateChanges.Add(CatalogRules.RateChange(shop.Id, null, shop.GeneralRateBp, now, request.ActorUserId));
            audit.Record(request.ActorUserId, "shop.create", "shop", shop.Id,
                new { shop.SellerId, shop.Slug, shop.NameZh, shop.NameEn, rateBp = shop.GeneralRateBp });
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Another seller took the slug between the check and the insert.
            db.ChangeTracker.Clear();
            return new(null, ShopRefusal.SlugTaken);
        }
        logger.LogInformation("Seller {SellerId} created shop {ShopId} ({Slug})", request.SellerId, shop.Id, shop.Slug);
        return new(shop, null);
    }

    /// <summary>Saves the profile of a shop the caller has checked the seller owns.</summary>
    public async Task SaveProfileAsync(long shopId, ShopRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var shop = await db.Shops.SingleAsync(s => s.Id == shopId, ct);
        shop.NameZh = request.NameZh.Trim();
        shop.NameEn = request.NameEn.Trim();
        shop.Description = request.Description?.Trim() ?? "";
        var oldRateBp = shop.GeneralRateBp;
        if (request.GeneralRate.BasisPoints != oldRateBp)
        {
            shop.GeneralRateBp = request.GeneralRate.BasisPoints;
            db.CommissionRateChanges.Add(CatalogRules.RateChange(shop.Id, null, shop.GeneralRateBp, clock.GetUtcNow(), request.ActorUserId));
            audit.Record(request.ActorUserId, "shop.rate", "shop", shop.Id, new { oldRateBp, newRateBp = shop.GeneralRateBp });
        }
        await db.SaveChangesAsync(ct);
        if (oldRateBp != shop.GeneralRateBp)
        {
            logger.LogInformation("Shop {ShopId} general rate changed from {OldRateBp} to {NewRateBp} bp", shop.Id, oldRateBp, shop.GeneralRateBp);
        }
    }

    /// <summary>
    /// Registers the host of the shop's own store (ExternalStores.TryNormalizeHost), or clears it when empty. A host
    /// belongs to one shop. Items' external URLs that are not on the new host are cleared with it, in the same
    /// statement batch, so no item ever points off its shop's host.
    /// </summary>
    public async Task<StoreHostRefusal> SetStoreHostAsync(long shopId, string? hostText, CancellationToken ct)
    {
        string? host = null;
        if (!string.IsNullOrWhiteSpace(hostText))
        {
            if (!ExternalStores.TryNormalizeHost(hostText, out var normal)) return StoreHostRefusal.Invalid;
            host = normal;
        }
        if (host is not null && await db.Shops.AnyAsync(s => s.StoreHost == host && s.Id != shopId, ct)) return StoreHostRefusal.Taken;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            var old = await db.Shops.Where(s => s.Id == shopId).Select(s => s.StoreHost).SingleAsync(ct);
            await db.Shops.Where(s => s.Id == shopId).ExecuteUpdateAsync(u => u.SetProperty(s => s.StoreHost, host), ct);
            if (old != host)
            {
                await db.Items.Where(i => i.ShopId == shopId && i.ExternalUrl != null)
                    .ExecuteUpdateAsync(u => u.SetProperty(i => i.ExternalUrl, (string?)null), ct);
            }
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return StoreHostRefusal.Taken;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return StoreHostRefusal.Taken; // another shop registered it between the check and the update
        }
        logger.LogInformation("Shop {ShopId} store host set to {StoreHost}", shopId, host);
        return StoreHostRefusal.None;
    }
}
