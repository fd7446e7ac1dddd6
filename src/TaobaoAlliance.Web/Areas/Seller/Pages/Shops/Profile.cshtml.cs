using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Catalog;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Web.Sellers;
using TaobaoAlliance.Web.Sellers.Catalog;
using TaobaoAlliance.Web.Store;
using TaobaoAlliance.Web.Identity;

namespace TaobaoAlliance.Web.Areas.Seller.Pages.Shops;

/// <summary>
/// A shop's profile: names, description and general rate. A new general rate is written with a line of
/// rate history in the same SaveChanges. Another seller's shop is not found.
/// </summary>
public sealed class ProfileModel(AllianceDbContext db, CurrentActor me, TimeProvider clock, IStringLocalizer<SharedResource> localizer, ILogger<ProfileModel> logger) : PageModel
{
    public const int HistoryShown = 10;

    public sealed record RateHistoryRow(DateTimeOffset At, Rate? Rate, string? ChangedBy);

    [BindProperty] public ShopInput Input { get; set; } = new();

    public long ShopId { get; private set; }
    public string Slug { get; private set; } = "";
    public string Name { get; private set; } = "";
    public int ItemCount { get; private set; }
    public int OwnRateCount { get; private set; }
    public IReadOnlyList<RateHistoryRow> History { get; private set; } = [];

    [TempData(Key = CatalogMessages.Key)] public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(long shopId, CancellationToken ct)
    {
        if (await me.OwnedShopAsync(shopId, ct) is not { } shop) return NotFound();
        Input = new ShopInput
        {
            NameZh = shop.NameZh, NameEn = shop.NameEn, Description = shop.Description, RatePercent = shop.GeneralRateBp / 100m,
        };
        await LoadAsync(shop, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long shopId, CancellationToken ct)
    {
        if (await me.OwnedShopAsync(shopId, ct) is not { } shop) return NotFound();
        var rate = Input.CheckRate(ModelState, localizer);
        if (!ModelState.IsValid || rate is null)
        {
            await LoadAsync(shop, ct);
            return Page();
        }

        var now = clock.GetUtcNow();
        shop.NameZh = Input.NameZh.Trim();
        shop.NameEn = Input.NameEn.Trim();
        shop.Description = Input.Description?.Trim() ?? "";
        var oldRateBp = shop.GeneralRateBp;
        if (rate.Value.BasisPoints != oldRateBp)
        {
            shop.GeneralRateBp = rate.Value.BasisPoints;
            db.CommissionRateChanges.Add(CatalogRules.RateChange(shop.Id, null, shop.GeneralRateBp, now, User.UserId()));
        }
        await db.SaveChangesAsync(ct);

        if (oldRateBp != shop.GeneralRateBp)
        {
            logger.LogInformation("Shop {ShopId} general rate changed from {OldRateBp} to {NewRateBp} bp", shop.Id, oldRateBp, shop.GeneralRateBp);
        }
        Message = localizer["Shop profile saved."].Value;
        return RedirectToPage("/Shops/Profile", new { area = "Seller", shopId });
    }

    private async Task LoadAsync(Shop shop, CancellationToken ct)
    {
        var zh = CultureInfo.CurrentUICulture.IsChinese();
        ShopId = shop.Id;
        Slug = shop.Slug;
        Name = zh ? shop.NameZh : shop.NameEn;
        ItemCount = await db.Items.CountAsync(i => i.ShopId == shop.Id, ct);
        OwnRateCount = await db.Items.CountAsync(i => i.ShopId == shop.Id && i.CommissionRateBp != null, ct);
        var history = await (
            from c in db.CommissionRateChanges.AsNoTracking()
            where c.ShopId == shop.Id && c.ItemId == null
            join u in db.Users on c.ChangedByUserId equals u.Id into us
            from u in us.DefaultIfEmpty()
            orderby c.EffectiveFrom descending, c.Id descending
            select new { c.EffectiveFrom, c.RateBp, Email = u == null ? null : u.Email })
            .Take(HistoryShown).ToListAsync(ct);
        History = [.. history.Select(h => new RateHistoryRow(h.EffectiveFrom, h.RateBp is { } bp ? new Rate(bp) : null, h.Email))];
    }
}
