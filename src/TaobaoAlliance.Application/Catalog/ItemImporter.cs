using TaobaoAlliance.Application.Audit;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Catalog;

namespace TaobaoAlliance.Application.Catalog;

/// <summary>What an import did: how many items it added, or (when any line was bad) every bad line and nothing added.</summary>
public sealed record ItemImportOutcome(int Imported, IReadOnlyList<ItemCsvError> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// Imports an item CSV (<see cref="ItemCsv"/>) into a shop, for the seller centre's upload page and the
/// signed import API alike: every line is checked first, and a good file goes in as one transaction.
/// </summary>
public sealed class ItemImporter(AllianceDbContext db, AuditTrail audit, TimeProvider clock, ILogger<ItemImporter> logger)
{
    public async Task<ItemImportOutcome> ImportAsync(long shopId, Stream csv, long? actorUserId, CancellationToken ct)
    {
        var categories = await db.Categories.AsNoTracking().Offered().Select(c => new { c.Id, c.Slug }).ToListAsync(ct); // a retired one: "no category"
        var result = ItemCsv.Read(csv, categories.ToDictionary(c => c.Slug, c => c.Id, StringComparer.OrdinalIgnoreCase));
        if (!result.IsValid)
        {
            logger.LogInformation("CSV import into shop {ShopId} refused: {BadLines} bad lines", shopId, result.Errors.Count);
            return new(0, result.Errors);
        }

        var now = clock.GetUtcNow();
        var slugs = categories.ToDictionary(c => c.Id, c => c.Slug);
        var items = result.Rows.Select(row => new Item
        {
            ShopId = shopId,
            CategoryId = row.CategoryId,
            TitleZh = row.TitleZh,
            TitleEn = row.TitleEn,
            PriceFen = row.PriceFen,
            CommissionRateBp = row.RateBp,
            ImageUrl = row.ImageUrl.Length > 0 ? row.ImageUrl : CatalogRules.PlaceholderImage(slugs[row.CategoryId]),
            IsListed = true,
            CreatedAt = now,
            UpdatedAt = now,
        }).ToList();

        // All or nothing: the items, then the history lines of their rates (which need the new ids), in one transaction.
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            db.Items.AddRange(items);
            await db.SaveChangesAsync(ct);
            db.CommissionRateChanges.AddRange(items.Where(i => i.CommissionRateBp is not null)
                .Select(i => CatalogRules.RateChange(shopId, i.Id, i.CommissionRateBp, now, actorUserId)));
            audit.Record(actorUserId, "item.import", "shop", shopId,
                new { itemCount = items.Count, ratedItems = items.Count(i => i.CommissionRateBp is not null) });
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        logger.LogInformation("CSV import into shop {ShopId}: {ItemCount} items", shopId, items.Count);
        return new(items.Count, []);
    }
}
