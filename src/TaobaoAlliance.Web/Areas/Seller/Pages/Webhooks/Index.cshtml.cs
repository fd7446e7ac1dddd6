using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Hooks;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Hooks;
using TaobaoAlliance.Web.Hooks;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Areas.Seller.Pages.Webhooks;

/// <summary>
/// A shop's webhook: the URL, the events chosen, the signing secret (shown once when made or rotated) and the
/// delivery log with "send again". Another seller's shop is not found.
/// </summary>
public sealed class IndexModel(AllianceDbContext db, HookSettings hooks, CurrentActor me, IStringLocalizer<SharedResource> localizer) : PageModel
{
    public sealed record ShopView(long Id, string Name);

    public IReadOnlyList<ShopView> Shops { get; private set; } = [];
    public long? ShopId { get; private set; }
    public HookEndpointView? Endpoint { get; private set; }
    public HookLogModel Log { get; private set; } = new([], null);
    public string Address { get; private set; } = "";
    public IReadOnlyCollection<string> Events { get; private set; } = HookEvents.Webhook;
    public string? Error { get; private set; }
    public string? NewSecret { get; private set; }

    [TempData(Key = "WebhookMessage")] public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(long? shopId, CancellationToken ct)
    {
        if (await me.SellerIdAsync(ct) is not { } sellerId) return NotFound();
        return await LoadAsync(sellerId, shopId, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostSaveAsync(long shopId, string? url, string[]? events, CancellationToken ct)
    {
        if (await me.OwnedShopAsync(shopId, ct) is not { } shop) return NotFound();
        var outcome = await hooks.SaveAsync(HookKind.Webhook, shop.Id, me.UserId, url, events, ct);
        if (!outcome.Saved)
        {
            Error = outcome.Problem is { } problem ? HookText.Problem(problem, localizer) : localizer["Choose at least one event."];
            await LoadAsync(shop.SellerId, shop.Id, ct);
            Address = url ?? "";
            Events = events ?? [];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        if (outcome.NewSecret is { } secret) return await ShowSecretAsync(shop.SellerId, shop.Id, secret, ct);
        Message = localizer["Webhook saved."];
        return RedirectToPage(new { shopId });
    }

    public async Task<IActionResult> OnPostRotateAsync(long shopId, CancellationToken ct)
    {
        if (await me.OwnedShopAsync(shopId, ct) is not { } shop) return NotFound();
        return await hooks.RotateSecretAsync(HookKind.Webhook, shop.Id, me.UserId, ct) is { } secret
            ? await ShowSecretAsync(shop.SellerId, shop.Id, secret, ct)
            : NotFound();
    }

    public async Task<IActionResult> OnPostSendAgainAsync(long shopId, long messageId, CancellationToken ct)
    {
        if (await me.OwnedShopAsync(shopId, ct) is not { } shop) return NotFound();
        if (!await hooks.SendAgainAsync(HookKind.Webhook, shop.Id, messageId, ct)) return NotFound();
        Message = localizer["It will be sent again in a moment."];
        return RedirectToPage(new { shopId });
    }

    private async Task<IActionResult> ShowSecretAsync(long sellerId, long shopId, string secret, CancellationToken ct)
    {
        Response.Headers.CacheControl = "no-store"; // the secret is in this response only
        NewSecret = secret;
        await LoadAsync(sellerId, shopId, ct);
        return Page();
    }

    private async Task<bool> LoadAsync(long sellerId, long? shopId, CancellationToken ct)
    {
        Shops = (await db.Shops.AsNoTracking().Where(s => s.SellerId == sellerId).OrderBy(s => s.Id)
                .Select(s => new { s.Id, s.NameZh, s.NameEn }).ToListAsync(ct))
            .Select(s => new ShopView(s.Id, ApiSecrets.IndexModel.ShopName(s.NameZh, s.NameEn))).ToList();
        if (shopId is { } wanted && Shops.All(s => s.Id != wanted)) return false;
        ShopId = shopId ?? (Shops.Count > 0 ? Shops[0].Id : null);
        if (ShopId is not { } id) return true;
        Endpoint = await hooks.EndpointAsync(HookKind.Webhook, id, ct);
        Address = Endpoint?.Url ?? "";
        Events = Endpoint?.Events ?? HookEvents.Webhook;
        Log = new(await hooks.LogAsync(HookKind.Webhook, id, ct), id);
        return true;
    }
}
