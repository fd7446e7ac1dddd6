using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Catalog;
using TaobaoAlliance.Application.Catalog;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Areas.Seller.Pages.Shops;

/// <summary>
/// A shop's profile: names, description and general rate. A new general rate is written with a line of
/// rate history in the same SaveChanges. Another seller's shop is not found.
/// </summary>
public sealed class ProfileModel(AllianceDbContext db, ShopEditor shops, CurrentActor me, IStringLocalizer<SharedResource> localizer) : PageModel
{
    public const int HistoryShown = 10;

    public sealed record RateHistoryRow(DateTimeOffset At, Rate? Rate, string? ChangedBy);

    [BindProperty] public ShopInput Input { get; set; } = new();

    /// <summary>The host of the shop's own store (e.g. shop.example.com); empty for none.</summary>
    [BindProperty]
    [System.ComponentModel.DataAnnotations.Display(Name = "Store host")]
    [System.ComponentModel.DataAnnotations.StringLength(253)]
    public string? StoreHost { get; set; }

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
        StoreHost = shop.StoreHost;
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

        await shops.SaveProfileAsync(shop.Id, new ShopRequest(shop.SellerId, me.UserId, Input.NameZh, Input.NameEn, Input.Description, rate.Value), ct);
        Message = localizer["Shop profile saved."].Value;
        return RedirectToPage("/Shops/Profile", new { area = "Seller", shopId });
    }

    /// <summary>Registers (or clears) the store host; a bad or taken host is a form message and changes nothing.</summary>
    public async Task<IActionResult> OnPostStoreHostAsync(long shopId, CancellationToken ct)
    {
        if (await me.OwnedShopAsync(shopId, ct) is not { } shop) return NotFound();
        // Only the host form was posted: the profile fields are not part of it.
        foreach (var key in ModelState.Keys.Where(k => k.StartsWith(nameof(Input), StringComparison.Ordinal)).ToList()) ModelState.Remove(key);
        var refusal = ModelState.IsValid ? await shops.SetStoreHostAsync(shop.Id, StoreHost, ct) : StoreHostRefusal.Invalid;
        if (refusal != StoreHostRefusal.None)
        {
            ModelState.AddModelError(nameof(StoreHost), refusal == StoreHostRefusal.Taken
                ? localizer["Another shop has registered this store host."]
                : localizer["Enter a host name such as shop.example.com (no path, port or IP address)."]);
            Input = new ShopInput
            {
                NameZh = shop.NameZh, NameEn = shop.NameEn, Description = shop.Description, RatePercent = shop.GeneralRateBp / 100m,
            };
            await LoadAsync(shop, ct);
            return Page();
        }
        Message = localizer["Store host saved."].Value;
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
