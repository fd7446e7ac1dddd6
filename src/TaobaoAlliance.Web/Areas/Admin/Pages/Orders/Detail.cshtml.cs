using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Commissions;
using TaobaoAlliance.Application.Fraud;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Commissions;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Data.Orders;
using TaobaoAlliance.Data.Tracking;
using TaobaoAlliance.Web.Admin;
using TaobaoAlliance.Application.Audit;
using TaobaoAlliance.Application.Ledger;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Web.Store;
using TaobaoAlliance.Web.Identity;

namespace TaobaoAlliance.Web.Areas.Admin.Pages.Orders;

/// <summary>
/// One order as the platform sees it: its lines, which click won and why, what each line earned and
/// why (the commission's explanation), and every ledger entry the order caused. Commissions that still
/// move money can be voided from here. The note, the explanations and the entries are kept as codes and
/// arguments and read in the reader's language (<see cref="PhraseText"/>, <see cref="LedgerText"/>).
/// </summary>
public sealed class DetailModel(AllianceDbContext db, CommissionVoider voider, IStringLocalizer<SharedResource> localizer) : PageModel
{
    public sealed record OrderView(long Id, string ExternalOrderId, string ShopName, long ShopId, OrderSource Source, OrderState State,
        DateTimeOffset PaidAt, DateTimeOffset? ConfirmedAt, string BuyerRef, string? BuyerEmail, Guid? VisitorId, Guid? ClickIdHint,
        Guid? AttributedClickId, string AttributionNote, string? FraudFlag);

    public sealed record LineView(long Id, long ItemId, string Title, int Quantity, Money Paid, int RefundedQuantity, Money Refunded);

    public sealed record ClickView(Guid Id, DateTimeOffset At, long SiteId, string SiteName, long WebmasterId, string WebmasterName,
        string WebmasterEmail, long ItemId, bool IsValid, string? InvalidReason, Rate ItemRate, Rate ShopRate);

    public sealed record CommissionView(long Id, long OrderLineId, CommissionState State, Rate Rate, string RateKind, Rate PlatformFee,
        Money Base, Money RefundedBase, CommissionAmounts AtPayment, CommissionAmounts Now, string Explanation, DateTimeOffset? SettledAt)
    {
        public bool CanVoid => State is CommissionState.Pending or CommissionState.Settled;
    }

    public sealed record EntryLineView(AccountKind Kind, long? SellerId, long? WebmasterId, Money Amount);

    /// <summary>An entry of the order: <paramref name="Description"/> is in the reader's language (<see cref="LedgerText"/>).</summary>
    public sealed record EntryView(long Id, DateTimeOffset At, string Kind, string Description, IReadOnlyList<EntryLineView> Lines);

    [TempData] public string? Message { get; set; }

    public OrderView Order { get; private set; } = null!;
    public IReadOnlyList<LineView> Lines { get; private set; } = [];
    public ClickView? Click { get; private set; }
    public IReadOnlyList<CommissionView> Commissions { get; private set; } = [];
    public IReadOnlyList<EntryView> Entries { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostVoidAsync(long id, long commissionId, string? reason, CancellationToken ct)
    {
        if (!await db.Commissions.AnyAsync(c => c.Id == commissionId && c.OrderId == id, ct)) return NotFound();
        var outcome = await voider.VoidAsync(commissionId, User.UserId(), reason, ct);
        if (!outcome.Succeeded)
        {
            ModelState.AddModelError("", VoidMessages.Refused(outcome, localizer, commissionId));
            await LoadAsync(id, ct);
            return Page();
        }
        Message = localizer["Commission {0} is voided and its money moved back.", commissionId];
        return RedirectToPage(new { id });
    }

    private async Task<bool> LoadAsync(long id, CancellationToken ct)
    {
        var chinese = System.Globalization.CultureInfo.CurrentUICulture.IsChinese();
        var order = await db.Orders.AsNoTracking().Where(o => o.Id == id)
            .Select(o => new
            {
                o.Id, o.ExternalOrderId, ShopEn = o.Shop.NameEn, ShopZh = o.Shop.NameZh, o.ShopId, o.Source, o.State, o.PaidAt, o.ConfirmedAt,
                o.BuyerRef, BuyerEmail = db.Users.Where(u => u.Id == o.BuyerUserId).Select(u => u.Email).FirstOrDefault(),
                o.VisitorId, o.ClickIdHint, o.AttributedClickId, o.AttributionNote, o.AttributionPhrases, o.FraudFlag,
            })
            .SingleOrDefaultAsync(ct);
        if (order is null) return false;
        Order = new OrderView(order.Id, order.ExternalOrderId, chinese ? order.ShopZh : order.ShopEn, order.ShopId, order.Source, order.State,
            order.PaidAt, order.ConfirmedAt, order.BuyerRef, order.BuyerEmail, order.VisitorId, order.ClickIdHint, order.AttributedClickId,
            PhraseText.Render(order.AttributionPhrases, order.AttributionNote, localizer), order.FraudFlag);

        Lines = (await db.OrderLines.AsNoTracking().Where(l => l.OrderId == id).OrderBy(l => l.Id)
                .Select(l => new { l.Id, l.ItemId, l.Item.TitleEn, l.Item.TitleZh, l.Quantity, l.PaidFen, l.RefundedQuantity, l.RefundedFen })
                .ToListAsync(ct))
            .Select(l => new LineView(l.Id, l.ItemId, chinese ? l.TitleZh : l.TitleEn, l.Quantity, new Money(l.PaidFen), l.RefundedQuantity,
                new Money(l.RefundedFen)))
            .ToList();

        // The click that won, or else the one the store named (so an admin sees why it did not win).
        var clickId = order.AttributedClickId ?? order.ClickIdHint;
        Click = clickId is not { } wonId ? null : await db.Clicks.AsNoTracking().WithId(wonId)
            .Select(c => new ClickView(c.Id, c.OccurredAt, c.SiteId,
                db.Sites.Where(s => s.Id == c.SiteId).Select(s => s.Name).FirstOrDefault() ?? "",
                c.WebmasterId,
                db.Webmasters.Where(w => w.Id == c.WebmasterId).Select(w => w.User.DisplayName).FirstOrDefault() ?? "",
                db.Webmasters.Where(w => w.Id == c.WebmasterId).Select(w => w.User.Email).FirstOrDefault() ?? "",
                c.ItemId, c.IsValid, c.InvalidReason, new Rate(c.ItemRateBp), new Rate(c.ShopRateBp)))
            .SingleOrDefaultAsync(ct);

        Commissions = (await db.Commissions.AsNoTracking().Where(c => c.OrderId == id).OrderBy(c => c.Id).ToListAsync(ct))
            .Select(c => new CommissionView(c.Id, c.OrderLineId, c.State, new Rate(c.RateBp), c.RateKind, new Rate(c.PlatformFeeBp),
                new Money(c.BaseFen), new Money(c.RefundedBaseFen),
                new CommissionAmounts(new Money(c.CommissionFen), new Money(c.PlatformFeeFen), new Money(c.WebmasterFen), new Money(c.SubsidyFen)),
                c.Effective(), PhraseText.Render(c.ExplanationPhrases, c.Explanation, localizer), c.SettledAt))
            .ToList();

        var entries = await db.JournalEntries.AsNoTracking().Where(e => e.OrderId == id)
            .OrderBy(e => e.OccurredAt).ThenBy(e => e.Id)
            .Select(e => new { e.Id, e.OccurredAt, e.Kind, e.Description, e.PayoutRequestId })
            .ToListAsync(ct);
        var entryIds = entries.Select(e => e.Id).ToList();
        var lines = (await db.JournalLines.AsNoTracking().Where(l => entryIds.Contains(l.EntryId))
                .Join(db.LedgerAccounts, l => l.AccountId, a => a.Id, (l, a) => new { l.EntryId, l.Id, a.Kind, a.SellerId, a.WebmasterId, l.AmountFen })
                .OrderBy(x => x.Id)
                .ToListAsync(ct))
            .ToLookup(x => x.EntryId, x => new EntryLineView(x.Kind, x.SellerId, x.WebmasterId, new Money(x.AmountFen)));
        Entries = entries.Select(e => new EntryView(e.Id, e.OccurredAt, e.Kind,
            LedgerText.Describe(e.Kind, id, e.PayoutRequestId, e.Description, localizer), lines[e.Id].ToList())).ToList();
        return true;
    }
}
