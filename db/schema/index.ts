export * from "./directory";
export * from "./auth";
export * from "./audit";
export * from "./portal";
