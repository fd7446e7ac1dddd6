using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Onboarding;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Onboarding;

/// <summary>A centre's first-steps checklist as the page shows it: each step's words, where to do it, and whether it is done.</summary>
public sealed record FirstStepsView(string Heading, IReadOnlyList<FirstStepsView.Item> Items)
{
    /// <summary>One step: <paramref name="ActionId"/> names its link for tests and the journey.</summary>
    public sealed record Item(string Id, string Title, string Hint, string Href, string Action, string ActionId, bool Done);

    public int DoneCount => Items.Count(i => i.Done);

    public bool AllDone => Items.All(i => i.Done);

    /// <summary>The first step not done yet: its link is the primary button.</summary>
    public Item? Next => Items.FirstOrDefault(i => !i.Done);

    public static FirstStepsView Webmaster(IReadOnlyList<FirstStep<WebmasterStep>> steps, IStringLocalizer<SharedResource> l)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(l);
        Item Of(FirstStep<WebmasterStep> s) => s.Step switch
        {
            WebmasterStep.SiteRegistered => new("site-registered", l["Register your site"], l["Its name, address, category and daily visitors."],
                "/Webmaster/Sites", l["Register a site"], "step-register-site", s.Done),
            WebmasterStep.SiteVerified => new("site-verified", l["Prove you own it"], l["Put the verification meta tag on your site's home page, then press Verify."],
                "/Webmaster/Sites", l["Verify your site"], "step-verify-site", s.Done),
            WebmasterStep.SiteApproved => new("site-approved", l["Get approved"], l["An admin reviews each verified site; approved sites earn from their clicks."],
                "/Webmaster/Sites", l["See your sites"], "step-site-approval", s.Done),
            WebmasterStep.FirstLink => new("first-link", l["Make your first ad link"], l["Pick an item in the library and get its link, card or QR code."],
                "/Webmaster/Library", l["Open the item library"], "step-first-link", s.Done),
            WebmasterStep.FirstClick => new("first-click", l["Your first click"], l["Put the link on your site: valid clicks show in your reports."],
                "/Webmaster/Reports", l["Open the reports"], "step-first-click", s.Done),
            _ => new("first-earning", l["Your first commission"], l["A sale through your link, or a paid click on your smart zone, earns you money."],
                "/Webmaster/Balance", l["Balance & payouts"], "step-first-earning", s.Done),
        };
        return new(l["Your first steps to earning"], steps.Select(Of).ToList());
    }

    public static FirstStepsView Seller(IReadOnlyList<FirstStep<SellerStep>> steps, IStringLocalizer<SharedResource> l)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(l);
        Item Of(FirstStep<SellerStep> s) => s.Step switch
        {
            SellerStep.ShopCreated => new("shop-created", l["Create your shop"], l["Its name and the general commission rate every item of it pays."],
                "/Seller/Shops", l["Create your first shop"], "create-first-shop", s.Done),
            SellerStep.ItemsListed => new("items-listed", l["List your items"], l["Add them one by one, or import a CSV file."],
                "/Seller/Shops", l["Add items"], "step-list-items", s.Done),
            SellerStep.PromotionSet => new("promotion-set", l["Set rates or start a campaign"], l["Item rates and targeted plans pay per sale; CPC campaigns bid for smart zones."],
                "/Seller/Plans", l["Set commission rates"], "step-promotion", s.Done),
            _ => new("wallet-funded", l["Fund your wallet"], l["It pays commission when orders settle and CPC clicks as they happen."],
                "/Seller/Wallet", l["Add money to your wallet"], "step-fund-wallet", s.Done),
        };
        return new(l["Your first steps to promoted sales"], steps.Select(Of).ToList());
    }
}
