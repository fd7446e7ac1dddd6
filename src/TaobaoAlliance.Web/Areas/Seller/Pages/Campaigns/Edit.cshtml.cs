using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using TaobaoAlliance.Application.Campaigns;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Cpc;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Areas.Seller.Pages.Campaigns;

/// <summary>
/// Creates or edits a CPC campaign of one of the seller's shops: items, bid, daily budget, target site
/// categories and schedule, with the bid advisor beside the bid. Everything is checked before anything is
/// written; another seller's campaign is not found.
/// </summary>
public sealed class EditModel(
    CampaignForms forms,
    CampaignEditor editor,
    CurrentActor me,
    TimeProvider clock,
    IOptionsSnapshot<AllianceOptions> options,
    IStringLocalizer<SharedResource> localizer) : PageModel
{
    [BindProperty] public CampaignInput Input { get; set; } = new();

    [BindProperty] public AdviceInput Advice { get; set; } = new();

    /// <summary>The campaign being edited; null while creating one.</summary>
    public long? CampaignId { get; private set; }

    public IReadOnlyList<CampaignShopOption> Shops { get; private set; } = [];

    /// <summary>Listed items of all the seller's shops; the page shows the chosen shop's.</summary>
    public IReadOnlyList<CampaignItemOption> Items { get; private set; } = [];

    public IReadOnlyList<CampaignCategoryOption> Categories { get; private set; } = [];

    /// <summary>The advisor's answer after "Advise"; null until the seller asks (or when the inputs are incomplete).</summary>
    public BidAdvice? AdviceResult { get; private set; }

    /// <summary>
    /// The seller's own bid (the form's bid when it is a real one, else the suggested bid): the advice's sentence prices
    /// clicks at the suggested bid, and a second line at this one when it differs.
    /// </summary>
    public Money? AdviceBid { get; private set; }

    public Money Reserve => new(options.Value.CpcReserveFen);

    public CampaignShopOption? ChosenShop => Shops.FirstOrDefault(s => s.Id == Input.ShopId);

    public async Task<IActionResult> OnGetAsync(long? id, long? shopId, CancellationToken ct)
    {
        if (await me.SellerIdAsync(ct) is not { } sellerId) return NotFound();
        if (id is { } campaignId)
        {
            if (await forms.DraftAsync(sellerId, campaignId, ct) is not { } campaign) return NotFound();
            CampaignId = campaignId;
            Input = CampaignInput.From(campaign);
        }
        else
        {
            Input = new CampaignInput { ShopId = shopId, StartsAt = ChinaTime.ToLocalInput(clock.GetUtcNow()), BidYuan = Reserve.Yuan };
        }

        await LoadAsync(sellerId, ct);
        if (Input.ShopId is null || ChosenShop is null) Input.ShopId = Shops.Count > 0 ? Shops[0].Id : null;
        Advice.ConversionRatePercent = ChosenShop?.ConversionRatePercent;
        return Page();
    }

    /// <summary>Saves the campaign, or shows the form again with what is wrong and writes nothing.</summary>
    public async Task<IActionResult> OnPostAsync(long? id, CancellationToken ct)
    {
        if (await me.SellerIdAsync(ct) is not { } sellerId) return NotFound();
        // The advisor's fields ride along in the same form; they do not stop a save.
        Ignore(nameof(Advice));
        if (id is { } campaignId)
        {
            if (await forms.ShopOfAsync(sellerId, campaignId, ct) is not { } campaignShop) return NotFound();
            CampaignId = campaignId;
            Input.ShopId = campaignShop; // a campaign's shop never changes
        }

        if (Input.ToRequest(sellerId, me.UserId, Reserve, ModelState, localizer) is { } request)
        {
            var outcome = await editor.SaveAsync(id, request, ct);
            if (outcome.Refusals.Contains(CampaignRefusal.NoSuchCampaign)) return NotFound();
            if (outcome.Succeeded)
            {
                TempData["CampaignMessage"] = (id is null
                    ? localizer["Campaign “{0}” created. It competes for smart zones from its start time.", outcome.Name]
                    : localizer["Campaign “{0}” saved. Changes apply from the next ad served.", outcome.Name]).Value;
                return RedirectToPage("/Campaigns/Index", new { area = "Seller" });
            }
            CampaignInput.Refused(outcome, ModelState, localizer);
        }
        await LoadAsync(sellerId, ct);
        return Page();
    }

    /// <summary>
    /// The bid advisor without JavaScript: works out the break-even bid from the advisor's fields and shows the
    /// form again with everything as entered. With <paramref name="useBid"/> it also puts that bid in the bid field.
    /// </summary>
    public async Task<IActionResult> OnPostAdviseAsync(long? id, bool useBid, CancellationToken ct)
    {
        if (await me.SellerIdAsync(ct) is not { } sellerId) return NotFound();
        if (id is { } campaignId)
        {
            if (await forms.ShopOfAsync(sellerId, campaignId, ct) is not { } shopId) return NotFound();
            CampaignId = campaignId;
            Input.ShopId = shopId;
        }
        // Asking for advice is not saving: the campaign's own fields are not judged yet.
        Ignore(nameof(Input));
        await LoadAsync(sellerId, ct);

        if (Advice.Advise(ModelState, localizer) is { } advice)
        {
            AdviceResult = advice;
            if (useBid && advice.BreakEvenBid >= Reserve)
            {
                Input.BidYuan = advice.SuggestedBid(CampaignEditor.MaxBid).Yuan;
                ModelState.Remove("Input.BidYuan"); // else the field would show the value that was posted
            }
            AdviceBid = Input.BidYuan is { } yuan && decimal.Round(yuan, 2) == yuan && yuan > 0 && yuan <= CampaignEditor.MaxBid.Yuan
                ? Money.FromYuan(yuan) : advice.SuggestedBid(CampaignEditor.MaxBid);
        }
        return Page();
    }

    /// <summary>
    /// Leaves the fields under a prefix out of this request's validation, keeping what was typed for the form.
    /// (ClearValidationState would leave them "unvalidated", and an unvalidated field makes the form invalid.)
    /// </summary>
    private void Ignore(string prefix)
    {
        foreach (var (_, entry) in ModelState.FindKeysWithPrefix(prefix))
        {
            entry.Errors.Clear();
            entry.ValidationState = ModelValidationState.Skipped;
        }
    }

    private async Task LoadAsync(long sellerId, CancellationToken ct)
    {
        var offered = await forms.OptionsAsync(sellerId, CultureInfo.CurrentUICulture.IsChinese(), ct);
        (Shops, Items, Categories) = (offered.Shops, offered.Items, offered.Categories);
    }
}
